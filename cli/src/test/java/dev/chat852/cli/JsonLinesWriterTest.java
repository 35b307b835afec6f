package dev.chat852.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.wire.Header;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class JsonLinesWriterTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void writesEachEventAsOneLineOfCompactJson() throws IOException {
        JsonLinesWriter events = new JsonLinesWriter(out);

        events.header(Header.parse("{\"a\": [1, 2]}"));
        events.text("hello");
        events.end();
        events.flush();

        assertThat(out.toString(UTF_8)).isEqualTo(
                "{\"type\":\"header\",\"raw\":\"{\\\"a\\\": [1, 2]}\",\"json\":{\"a\":[1,2]}}\n"
                        + "{\"type\":\"text\",\"text\":\"hello\"}\n"
                        + "{\"type\":\"end\"}\n");
    }

    @Test
    void writesJsonNullForAHeaderThatIsNotJson() throws IOException {
        JsonLinesWriter events = new JsonLinesWriter(out);

        events.header(new Header("quota=3", null));
        events.flush();

        assertThat(out.toString(UTF_8)).isEqualTo("{\"type\":\"header\",\"raw\":\"quota=3\",\"json\":null}\n");
    }

    @Test
    void writesNonAsciiAsUtf8IncludingCharactersOutsideTheBmp() throws IOException {
        JsonLinesWriter events = new JsonLinesWriter(out);

        events.text("中文 😊");
        events.flush();

        assertThat(out.toByteArray()).isEqualTo("{\"type\":\"text\",\"text\":\"中文 😊\"}\n".getBytes(UTF_8));
    }

    @Test
    void escapesControlCharactersSoEachEventStaysOnOneLine() throws IOException {
        JsonLinesWriter events = new JsonLinesWriter(out);

        events.error("line one\nline \"two\"\r\t");
        events.flush();

        assertThat(out.toString(UTF_8))
                .isEqualTo("{\"type\":\"error\",\"message\":\"line one\\nline \\\"two\\\"\\r\\t\"}\n")
                .hasLineCount(1);
    }

    @Test
    void holdsOutputUntilFlushedAndNeverClosesTheStream() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream target = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        JsonLinesWriter events = new JsonLinesWriter(target);

        events.text("a");
        assertThat(target.size()).isZero();
        events.flush();

        assertThat(target.toString(UTF_8)).isEqualTo("{\"type\":\"text\",\"text\":\"a\"}\n");
        assertThat(closed[0]).isFalse();
    }
}
