package dev.chat852.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.spi.Transport;
import dev.chat852.spi.TransportProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a client picks its transport when none is given. */
class TransportLoaderTest {

    static TransportProvider provider(String name) {
        return new TransportProvider() {
            public String name() {
                return name;
            }

            public Transport create() {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void noTransportOnTheClasspathIsAnErrorThatSaysWhatToAdd() {
        assertThatThrownBy(() -> TransportLoader.choose(List.of(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("chat852-transport-jdk").hasMessageContaining(".transport(");
    }

    @Test
    void severalTransportsWithoutAChoiceIsAnErrorThatNamesThemAndHowToChoose() {
        assertThatThrownBy(() -> TransportLoader.choose(List.of(provider("jdk"), provider("netty")), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jdk, netty").hasMessageContaining("chat852.transport=");
    }

    @Test
    void theOnlyTransportFoundIsUsed() {
        TransportProvider jdk = provider("jdk");
        assertThat(TransportLoader.choose(List.of(jdk), null)).isSameAs(jdk);
    }

    @Test
    void theSystemPropertyChoosesAmongSeveral() {
        TransportProvider netty = provider("netty");
        assertThat(TransportLoader.choose(List.of(provider("jdk"), netty), "netty")).isSameAs(netty);
    }

    @Test
    void aSystemPropertyNamingAMissingTransportIsAnError() {
        assertThatThrownBy(() -> TransportLoader.choose(List.of(provider("jdk")), "okhttp"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'okhttp'").hasMessageContaining("jdk");
    }

    @Test
    void aClientWithNoTransportAnywhereFailsToBuildWithTheSameAdvice() {
        assertThatThrownBy(() -> dev.chat852.ChatClient.builder().token("t").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no chat852 transport");
    }
}
