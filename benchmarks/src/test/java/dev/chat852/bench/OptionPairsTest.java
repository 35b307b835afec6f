package dev.chat852.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionPairsTest {

    @Test
    void eachPairReachesTheHandlerAndWhatFollowsTheDoubleDashIsLeft() {
        List<String> taken = new ArrayList<>();
        String[] args = {"--runs", "3", "--modes", "a,b", "--", "chat", "--runs", "9"};

        int rest = OptionPairs.read(args, (name, value) -> taken.add(name + "=" + value));

        assertThat(taken).containsExactly("--runs=3", "--modes=a,b");
        assertThat(rest).isEqualTo(5);
    }

    @Test
    void withoutADoubleDashNothingIsLeft() {
        assertThat(OptionPairs.read(new String[] {"--runs", "3"}, (name, value) -> true)).isEqualTo(2);
        assertThat(OptionPairs.read(new String[0], (name, value) -> true)).isZero();
    }

    @Test
    void anOptionWithoutItsValueOrUnknownToTheProgramIsNamed() {
        assertThatThrownBy(() -> OptionPairs.read(new String[] {"--runs"}, (name, value) -> true))
                .hasMessage("missing value for --runs");
        assertThatThrownBy(() -> OptionPairs.read(new String[] {"--rnus", "3"}, (name, value) -> false))
                .hasMessage("unknown option --rnus; see the class comment");
    }
}
