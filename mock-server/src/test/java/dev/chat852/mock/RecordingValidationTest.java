package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A recording that could not be served as written is refused when it is loaded, with the file, the line
 * and column, the field and what is wrong: never loaded and then answered with an empty reply, a wrong
 * status or the bytes of {@code "null"}.
 */
class RecordingValidationTest {

    static Stream<Arguments> invalidRecordings() {
        return Stream.of(
                Arguments.of("a header value holding a line break",
                        "{\"response\": {\n  \"headers\": {\"X-Bad\": \"a\\r\\nInjected: 1\"}}}",
                        "line 2, column 24: response.headers.X-Bad header X-Bad has the control character U+000D at index 1"),
                Arguments.of("a header name holding a space",
                        "{\"response\": {\"headers\": {\"Bad Name\": \"v\"}}}",
                        "line 1, column 39: response.headers[\"Bad Name\"] header name \"Bad Name\" has a space at index 3"),
                Arguments.of("a header value that is a number",
                        "{\"response\": {\"headers\": {\"X-Count\": 1e999999999}}}",
                        "line 1, column 38: response.headers.X-Count must be a string, was 1e999999999"),
                Arguments.of("a header value that cannot be one byte per character",
                        "{\"response\": {\"headers\": {\"X-Note\": \"你好\"}}}",
                        "response.headers.X-Note header X-Note has '你' (U+4F60) at index 0"),
                Arguments.of("base64 that is a number",
                        "{\"response\": {\"chunks\": [{\"base64\": 42}]}}",
                        "line 1, column 37: response.chunks[0].base64 must be a string, was 42"),
                Arguments.of("base64 that is null",
                        "{\"response\": {\"chunks\": [{\"base64\": null}]}}",
                        "response.chunks[0].base64 must be a string, was null"),
                Arguments.of("text that is an object",
                        "{\"response\": {\"chunks\": [{\"text\": {}}]}}",
                        "response.chunks[0].text must be a string, was an object"),
                Arguments.of("a status out of range",
                        "{\"response\": {\"status\": 99999}}",
                        "line 1, column 25: response.status must be an HTTP status from 100 to 599, was 99999"),
                Arguments.of("a status just below the range",
                        "{\"response\": {\"status\": 99}}",
                        "response.status must be an HTTP status from 100 to 599, was 99"),
                Arguments.of("a status just above the range",
                        "{\"response\": {\"status\": 600}}",
                        "response.status must be an HTTP status from 100 to 599, was 600"),
                Arguments.of("a delay a millisecond over a day",
                        "{\"response\": {\"chunks\": [{\"delayMs\": 86400001, \"text\": \"a\"}]}}",
                        "response.chunks[0].delayMs must be from 0 to 86400000 milliseconds (one day), was 86400001"),
                Arguments.of("a fractional status",
                        "{\"response\": {\"status\": 1.5}}",
                        "response.status must be an HTTP status, was 1.5"),
                Arguments.of("a status that is a string",
                        "{\"response\": {\"status\": \"200\"}}",
                        "response.status must be an HTTP status, was a string"),
                Arguments.of("a headers delay past a day",
                        "{\"response\": {\"headersDelayMs\": 9223372036854775807}}",
                        "response.headersDelayMs must be from 0 to 86400000 milliseconds (one day), was 9223372036854775807"),
                Arguments.of("a delay past what a long holds",
                        "{\"response\": {\"headersDelayMs\": 92233720368547758070}}",
                        "response.headersDelayMs is out of range, was 92233720368547758070"),
                Arguments.of("a fractional chunk delay",
                        "{\"response\": {\"chunks\": [{\"delayMs\": 0, \"text\": \"a\"},\n {\"delayMs\": 2.5, \"text\": \"b\"}]}}",
                        "line 2, column 14: response.chunks[1].delayMs must be a whole number of milliseconds, was 2.5"),
                Arguments.of("a negative chunk delay",
                        "{\"response\": {\"chunks\": [{\"delayMs\": -1, \"text\": \"a\"}]}}",
                        "response.chunks[0].delayMs must be from 0 to 86400000 milliseconds (one day), was -1"),
                Arguments.of("a fault delay past a day",
                        "{\"response\": {\"faults\": [\"delay:10000000000000\"]}}",
                        "line 1, column 26: response.faults[0] bad fault 'delay:10000000000000' (milliseconds must be"
                                + " 0..86400000 (one day), was 10000000000000)"),
                Arguments.of("a fault that is not a string",
                        "{\"response\": {\"faults\": [7]}}",
                        "response.faults[0] must be a string, was 7"),
                Arguments.of("a duplicate key",
                        "{\"response\": {\"status\": 200,\n \"status\": 500}}",
                        "line 2, column 10: not valid JSON: Duplicate field 'status'"),
                Arguments.of("truncated JSON",
                        "{\"response\": {\"chunks\": [{\"text\": \"a\"}",
                        "line 1, column 39: not valid JSON: Unexpected end-of-input: expected close marker for Array (start marker at line 1, column 25)"),
                Arguments.of("an empty file", "", ": the file is empty"),
                Arguments.of("an array", "[]", "line 1, column 1: not a JSON object"),
                Arguments.of("no response", "{\"request\": {}}", "line 1, column 1: the recording has no \"response\" object"),
                Arguments.of("a model that is a number",
                        "{\"request\": {\"model\": 4}, \"response\": {}}",
                        "line 1, column 23: request.model must be a string, was 4"),
                Arguments.of("a message role that is not a string",
                        "{\"request\": {\"messages\": [{\"role\": true, \"content\": \"hi\"}]}, \"response\": {}}",
                        "request.messages[0].role must be a string, was true"),
                Arguments.of("a name that is not a string",
                        "{\"name\": [], \"response\": {}}",
                        "line 1, column 10: name must be a string, was an array"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRecordings")
    void anInvalidRecordingIsRefusedAtLoadNamingTheFileThePositionAndTheField(String what, String json,
                                                                               String expected, @TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, json, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Recording.read(file)).as(what)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(expected);
        assertThatThrownBy(() -> Recording.parse(json, "broken")).as(what)
                .hasMessageStartingWith("recording broken")
                .hasMessageContaining(expected);
        assertThatThrownBy(() -> MockServer.builder().recordings(dir)).as(what)
                .hasMessageContaining(file.toString()).hasMessageContaining(expected);
    }

    @Test
    void aByteOrderMarkBeforeTheJsonIsSkipped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bom.json");
        Files.write(file, ("\uFEFF{\"response\": {\"chunks\": [{\"text\": \"hi\"}]}}").getBytes(StandardCharsets.UTF_8));

        assertThat(Recording.read(file).response().bodyText()).isEqualTo("hi");
    }

    @Test
    void theLoaderAcceptsTheEdgesOfEveryRange() {
        for (int status : new int[] {100, 599}) {
            assertThat(Recording.parse("{\"response\": {\"status\": " + status + ", \"headersDelayMs\": 0,"
                    + " \"chunks\": [{\"delayMs\": 0, \"text\": \"a\"}, {\"delayMs\": 86400000, \"text\": \"b\"}]}}", "edges")
                    .response()).satisfies(r -> {
                        assertThat(r.status()).isEqualTo(status);
                        assertThat(r.chunks()).extracting(Chunk::delayMs).containsExactly(0L, RecordedResponse.MAX_DELAY_MS);
                    });
        }
    }

    @Test
    void theBuilderRefusesWhatTheLoaderRefuses() {
        assertThatThrownBy(() -> RecordedResponse.builder().header("X-Bad", "a\r\nInjected: 1"))
                .hasMessageContaining("U+000D");
        assertThatThrownBy(() -> RecordedResponse.builder().header("Bad Name", "v")).hasMessageContaining("a space");
        assertThatThrownBy(() -> RecordedResponse.builder().header("", "v")).hasMessageContaining("empty");
        assertThatThrownBy(() -> RecordedResponse.builder().headersDelayMs(RecordedResponse.MAX_DELAY_MS + 1))
                .hasMessageContaining("one day");
        assertThatThrownBy(() -> Chunk.of(RecordedResponse.MAX_DELAY_MS + 1, "x")).hasMessageContaining("one day");
        assertThatThrownBy(() -> Fault.stall(0, 10_000_000_000_000L)).hasMessageContaining("one day");
        assertThatThrownBy(() -> Fault.parse("stall:5:10000000000000")).hasMessageContaining("one day");
        assertThatThrownBy(() -> Fault.parse("delay:10000000000000")).hasMessageContaining("one day");
        assertThat(RecordedResponse.builder().header("X-Tab", "a\tb é").headersDelayMs(RecordedResponse.MAX_DELAY_MS)
                .build().header("x-tab")).hasValue("a\tb é");
    }

    @Test
    void aHeaderNameIsAnHttpTokenAndAValueOneLineOfOneByteCharacters() {
        assertThat(RecordedResponse.builder().header("!#$%&'*+-.^_`|~Az09", "\u0020visible ~ \u00A0\u00FF").build()
                .header("!#$%&'*+-.^_`|~az09")).as("every token symbol, and the ends of the one-byte range")
                .hasValue("\u0020visible ~ \u00A0\u00FF");
        assertThatThrownBy(() -> RecordedResponse.builder().header("Caf\u00E9", "v"))
                .hasMessageContaining("'\u00E9' (U+00E9) at index 3");
        assertThatThrownBy(() -> RecordedResponse.builder().header("X", "a\u0100"))
                .hasMessageContaining("'\u0100' (U+0100) at index 1 of its value");
        assertThatThrownBy(() -> RecordedResponse.builder().header("X", "\u007F"))
                .hasMessageContaining("the control character U+007F at index 0");
        assertThatThrownBy(() -> RecordedResponse.builder().header("X", "ab\u001F"))
                .hasMessageContaining("the control character U+001F at index 2");
        assertThatThrownBy(() -> RecordedResponse.builder().header("X\u007F", "v"))
                .hasMessageContaining("the control character U+007F at index 1");
    }
}
