package dev.chat852.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatRequest;
import dev.chat852.Dialect;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A client's settings as the public builder hands them over, and what every request takes from them. */
class CallSettingsTest {
    private static final String TOKEN = "sk-settings-secret-4d3c2b";

    private static CallSettings.Builder everySetting() {
        return CallSettings.builder() // every setter returns the builder, so a chain sets all of them
                .dialect(Dialect.OPENAI)
                .endpoint(URI.create("http://127.0.0.1:9/v1/chat/completions"))
                .token(TOKEN)
                .defaultModel("gpt-test")
                .connectTimeout(Duration.ofSeconds(1))
                .firstByteTimeout(Duration.ofSeconds(2))
                .idleTimeout(Duration.ofSeconds(3))
                .maxHeaderBytes(100)
                .maxAnswerBytes(200)
                .maxRetries(4)
                .retryBackoff(Duration.ofMillis(5))
                .header("X-Team", "a");
    }

    @Test
    void aChainOfEverySetterBuildsSettingsWithEveryValue() {
        CallSettings s = everySetting().build();
        ChatRequest plain = ChatRequest.of("hi");

        assertThat(s.dialect()).isEqualTo(Dialect.OPENAI);
        assertThat(s.endpoint()).hasToString("http://127.0.0.1:9/v1/chat/completions");
        assertThat(s.token()).isEqualTo(TOKEN);
        assertThat(s.defaultModel()).isEqualTo("gpt-test");
        assertThat(s.connectTimeout(plain)).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.firstByteTimeout(plain)).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.idleTimeout(plain)).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.maxHeaderBytes()).isEqualTo(100);
        assertThat(s.maxAnswerBytes()).isEqualTo(200);
        assertThat(s.retry().maxRetries()).isEqualTo(4);
        assertThat(s.requestHeaders(true, "fake")).containsEntry("X-Team", "a");
    }

    @Test
    void aHeaderSetAgainInAnyCaseReplacesTheEarlierOne() {
        CallSettings s = everySetting().header("x-TEAM", "b").header("X-Other", "c").build();

        assertThat(s.requestHeaders(true, "fake")).containsEntry("x-TEAM", "b").containsEntry("X-Other", "c")
                .doesNotContainKey("X-Team");
    }

    @Test
    void aClientHeaderReplacesTheUserAgentWhateverItsCase() {
        CallSettings s = everySetting().header("user-agent", "mine/1").build();

        assertThat(s.requestHeaders(false, "fake")).containsEntry("user-agent", "mine/1")
                .doesNotContainKey("User-Agent");
    }

    @Test
    void theTokenIsNeverInTheSettingsText() {
        assertThat(everySetting().build().toString()).doesNotContain(TOKEN).contains("token set")
                .contains("gpt-test").contains("retries=4");
        assertThat(CallSettings.builder().endpoint(URI.create("http://127.0.0.1:9/")).build().toString())
                .contains("token none");
        CallContext context = new CallContext(everySetting().build(), new ScriptedTransport(),
                new ClientTimer(new ManualScheduler().executor(), ClientTimer.TICK), null, Metrics.NONE);
        assertThat(context.toString()).doesNotContain(TOKEN).contains("transport=scripted")
                .contains("http://127.0.0.1:9/v1/chat/completions");
    }
}
