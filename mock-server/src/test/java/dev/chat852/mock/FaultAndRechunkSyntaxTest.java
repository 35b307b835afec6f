package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaultAndRechunkSyntaxTest {

    @Test
    void parsesEveryFaultForm() {
        assertThat(Fault.parse("reset:100")).isEqualTo(new Fault.Reset(100));
        assertThat(Fault.parse("stall:10:2000")).isEqualTo(new Fault.Stall(10, 2000));
        assertThat(Fault.parse("truncate:0")).isEqualTo(new Fault.Truncate(0));
        assertThat(Fault.parse("status:503")).isEqualTo(Fault.status(503));
        assertThat(Fault.parse(" DELAY:250 ")).isEqualTo(new Fault.Delay(250));
    }

    @ParameterizedTest
    @ValueSource(strings = {"reset:100", "stall:10:2000", "truncate:0", "status:429", "delay:250"})
    void faultsPrintInTheFormTheyAreParsedFrom(String spec) {
        assertThat(Fault.parse(spec)).hasToString(spec);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "reset", "reset:", "reset:-1", "reset:1:2", "stall:1", "stall:1:2:3", "stall:-1:5",
            "truncate:1:2", "truncate:-1", "status:500:1", "status:99", "status:600", "status:abc", "delay:1:2",
            "delay:-1", "delay:86400001", "boom:1"})
    void rejectsBadFaultsListingTheForms(String spec) {
        assertThatThrownBy(() -> Fault.parse(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reset:N | stall:N:MS | truncate:N | status:CODE | delay:MS")
                .hasMessageNotContaining("For input string"); // Java's words, not the user's
    }

    @Test
    void acceptsTheEdgesOfEveryRange() {
        assertThat(Fault.parse("status:100")).isEqualTo(Fault.status(100));
        assertThat(Fault.parse("status:599")).isEqualTo(Fault.status(599));
        assertThat(Fault.parse("delay:0")).isEqualTo(new Fault.Delay(0));
        assertThat(Fault.parse("delay:86400000")).isEqualTo(new Fault.Delay(RecordedResponse.MAX_DELAY_MS));
        assertThat(Fault.parse("stall:0:0")).isEqualTo(new Fault.Stall(0, 0));
    }

    @Test
    void parsesEveryRechunkForm() {
        assertThat(Rechunk.parse("recorded")).isEqualTo(Rechunk.asRecorded());
        assertThat(Rechunk.parse("16")).isEqualTo(Rechunk.fixed(16));
        assertThat(Rechunk.parse("random:42")).isEqualTo(Rechunk.random(42));
        assertThat(Rechunk.parse("random:42:3")).isEqualTo(Rechunk.random(42, 3));
        assertThat(Rechunk.parse("bytes")).isEqualTo(Rechunk.bytes()).isEqualTo(Rechunk.fixed(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"recorded", "16", "random:42", "random:42:3", "bytes"})
    void rechunksPrintInTheFormTheyAreParsedFrom(String spec) {
        assertThat(Rechunk.parse(spec)).hasToString(spec);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "-3", "random", "random:x", "random:1:0", "lines", "zz"})
    void rejectsBadRechunksListingTheForms(String spec) {
        assertThatThrownBy(() -> Rechunk.parse(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recorded | N | random:SEED[:MAX] | bytes")
                .hasMessageNotContaining("For input string");
    }
}
