package dev.chat852.mock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.mock.RecordedResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the request log shows of headers, and how the recorder finds the token in an answer it would write. */
class RedactionTest {
    private static final String TOKEN = "sk-redaction-test-9f2c";

    @Test
    void theLogShowsHeaderNamesInLowerCaseWithEveryValueInOrderAndHidesCredentialsAndTheToken() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Content-Type", "application/json")
                .add("X-Trace", "one").add("x-trace", "two")
                .add("Authorization", "Bearer whatever")
                .add("Cookie", "a=b")
                .add("X-Echo", "it is " + TOKEN + " here");

        Map<String, List<String>> shown = Redaction.headers(headers, TOKEN);

        assertThat(shown).containsExactly(
                Map.entry("authorization", List.of(Redaction.REDACTED)),
                Map.entry("content-type", List.of("application/json")),
                Map.entry("cookie", List.of(Redaction.REDACTED)),
                Map.entry("x-echo", List.of(Redaction.REDACTED)),
                Map.entry("x-trace", List.of("one", "two")));
    }

    @Test
    void withoutATokenOnlyCredentialHeadersAreHidden() {
        HttpHeaders headers = new DefaultHttpHeaders().add("X-Api-Key", "k").add("X-Note", "");

        assertThat(Redaction.headers(headers, null)).containsExactly(
                Map.entry("x-api-key", List.of(Redaction.REDACTED)), Map.entry("x-note", List.of("")));
        assertThat(Redaction.headers(headers, "")).as("an empty token is in every text: it hides nothing")
                .containsEntry("x-note", List.of(""));
    }

    @Test
    void theLoggedHeadersCannotBeChanged() {
        Map<String, List<String>> shown = Redaction.headers(new DefaultHttpHeaders().add("X-A", "1"), null);

        assertThatThrownBy(() -> shown.put("x-b", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> shown.get("x-a").add("2")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theTokenIsFoundInTextOnlyWhenItIsThere() {
        assertThat(Redaction.containsToken("a " + TOKEN, TOKEN)).isTrue();
        assertThat(Redaction.containsToken("a sk-redaction", TOKEN)).isFalse();
        assertThat(Redaction.containsToken("anything", null)).isFalse();
        assertThat(Redaction.containsToken("anything", "")).isFalse();
    }

    @Test
    void theTokenIsFoundInAnAnswerAtEveryPlaceAndEverySplitAcrossChunks() {
        byte[] token = TOKEN.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at <= 3; at++) {
            byte[] body = new byte[at + token.length + 3];
            Arrays.fill(body, (byte) '.');
            System.arraycopy(token, 0, body, at, token.length);
            for (int cut1 = 0; cut1 <= body.length; cut1++) {
                for (int cut2 = cut1; cut2 <= body.length; cut2++) {
                    RecordedResponse answer = RecordedResponse.builder()
                            .chunk(0, Arrays.copyOfRange(body, 0, cut1))
                            .chunk(0, Arrays.copyOfRange(body, cut1, cut2))
                            .chunk(0, Arrays.copyOfRange(body, cut2, body.length)).build();
                    assertThat(Redaction.containsToken(answer, TOKEN)).as("at %d, cut at %d and %d", at, cut1, cut2).isTrue();
                }
            }
        }
    }

    @Test
    void anAnswerWithoutTheWholeTokenDoesNotContainIt() {
        String almost = TOKEN.substring(0, TOKEN.length() - 1);
        RecordedResponse answer = RecordedResponse.builder().chunk(0, almost.substring(0, 5)).chunk(0, almost.substring(5))
                .chunk(0, "!" + TOKEN.substring(1)).build();

        assertThat(Redaction.containsToken(answer, TOKEN)).isFalse();
        assertThat(Redaction.containsToken(answer, null)).isFalse();
        assertThat(Redaction.containsToken(answer, "")).isFalse();
        assertThat(Redaction.containsToken(RecordedResponse.builder().build(), TOKEN)).isFalse();
    }
}
