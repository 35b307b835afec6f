package dev.chat852.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The rules for a header a caller adds, at the edges of the characters allowed. */
class RequestHeadersTest {

    @Test
    void aNameMayHoldEveryVisibleCharacterButSeparatorsAndNothingElse() {
        assertThatCode(() -> RequestHeaders.check("!X~", "v")).doesNotThrowAnyException(); // 0x21 and 0x7e
        assertThatThrownBy(() -> RequestHeaders.check("X Team", "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"X Team\"");
        assertThatThrownBy(() -> RequestHeaders.check("X\u007f", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestHeaders.check("X:", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestHeaders.check("X\"", "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aValueMayHoldSpacesAndTabsButNoOtherControlCharacter() {
        assertThatCode(() -> RequestHeaders.check("X-Team", "a b\tc ~")).doesNotThrowAnyException();
        assertThatThrownBy(() -> RequestHeaders.check("X-Team", "a\u001fb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("X-Team");
        assertThatThrownBy(() -> RequestHeaders.check("X-Team", "a\u007fb")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theUserAgentNamesTheVersionJavaAndTransport() {
        assertThat(RequestHeaders.version()).isNotBlank();
        assertThat(RequestHeaders.userAgent("netty")).isEqualTo("chat852/" + RequestHeaders.version() + " (Java "
                + System.getProperty("java.version") + "; netty)");
    }
}
