package dev.chat852;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat852.FakeTransport.FakeExchange;
import dev.chat852.testkit.LogCapture;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the call layer logs (docs/client.md, "Logging"): each call's steps at DEBUG, never the token. */
class CallLoggingTest {
    private static final String TOKEN = "sk-logging-secret-1a2b3c";
    private static final String ENDPOINT = "http://127.0.0.1:9/api/light/chat/createChatCompletion";
    private final FakeTransport transport = new FakeTransport();
    private final LogCapture logs = LogCapture.start(Set.of());
    private ChatClient client = client(0);

    private ChatClient client(int retries) {
        return ChatClient.builder().transport(transport).baseUrl("http://127.0.0.1:9/").token(TOKEN)
                .model("gpt-logged").retries(retries).retryBackoff(Duration.ZERO).build();
    }

    @AfterEach
    void close() {
        client.close();
        logs.close();
    }

    /** The call layer's entries at {@code level} or above, as text. */
    private List<String> logged(Level level) {
        return logs.entries().stream()
                .filter(e -> e.logger().equals("dev.chat852.ChatClient") && e.level().intValue() >= level.intValue())
                .map(LogCapture.Entry::text).collect(Collectors.toList());
    }

    private void assertNoToken() {
        assertThat(logs.entries()).allSatisfy(e -> assertThat(e.text()).doesNotContain(TOKEN));
    }

    @Test
    void aCallIsLoggedAtDebugWhenItStartsAndWhenItEnds() throws Exception {
        ChatStream stream = client.stream("hi");
        transport.last().respond(200, "text/plain").read("答案").complete();
        stream.completion().get(5, TimeUnit.SECONDS);

        List<String> debug = logged(Level.FINE);
        assertThat(debug).anySatisfy(t -> assertThat(t).startsWith("POST " + ENDPOINT + " (")
                .contains("-byte body not shown) transport=fake").doesNotContain("retry"));
        assertThat(debug).anySatisfy(t -> assertThat(t)
                .startsWith("call to " + ENDPOINT + " (gpt-logged) ended: success, 6 bytes in "));
        assertThat(logged(Level.INFO)).as("nothing at INFO or above when all goes well").isEmpty();
        assertNoToken();
    }

    @Test
    void aFailedCallIsLoggedWithItsOutcomeAndWhy() {
        ChatStream stream = client.stream("hi");
        transport.last().fail(new IOException("Connection reset"));
        assertThat(stream.completion()).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class);

        assertThat(logged(Level.FINE)).anySatisfy(t -> assertThat(t)
                .startsWith("call to " + ENDPOINT + " (gpt-logged) ended: transport_error (")
                .contains("Connection reset").contains(" bytes in "));
        assertNoToken();
    }

    @Test
    void aRetryIsLoggedWithWhyAndWhenAndTheNextAttemptWithItsNumber() throws Exception {
        client.close();
        client = client(1);
        ChatStream stream = client.stream("hi");
        transport.last().respond(503, "text/plain");
        await("the second attempt").atMost(Duration.ofSeconds(10)).until(() -> transport.exchanges.size() == 2);
        transport.last().respond(200, "text/plain").read("ok").complete();
        stream.completion().get(5, TimeUnit.SECONDS);

        List<String> debug = logged(Level.FINE);
        assertThat(debug).anySatisfy(t -> assertThat(t).startsWith("call to " + ENDPOINT + ": ").contains("503")
                .endsWith("; retry 1 of 1 in 0 ms"));
        assertThat(debug).anySatisfy(t -> assertThat(t).startsWith("POST " + ENDPOINT).endsWith("transport=fake retry 1"));
        assertNoToken();
    }

    @Test
    void aConsumerThatThrowsIsLoggedAsAWarningWithWhatItThrew() {
        ChatStream stream = client.stream("hi");
        stream.listen(new ChatListener() {
            @Override
            public void onText(String text) {
                throw new IllegalStateException("consumer bug 42");
            }
        });
        transport.last().respond(200, "text/plain").read("text");

        assertThat(logged(Level.WARNING)).singleElement().satisfies(t -> assertThat(t)
                .startsWith("a chat stream consumer threw; cancelling the call").contains("consumer bug 42"));
        assertThat(transport.last().cancelled).isTrue();
        assertNoToken();
    }

    @Test
    void aStreamDroppedUnconsumedIsLoggedAsAWarningNamingWhereItWent() {
        WeakReference<ChatStream> dropped = new WeakReference<>(client.stream("hi"));
        FakeExchange e = transport.last();

        await("the dropped stream to be cancelled").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    System.gc();
                    return e.cancelled;
                });
        assertThat(dropped.get()).isNull();
        await("the warning").atMost(Duration.ofSeconds(5)).until(() -> !logged(Level.WARNING).isEmpty());
        assertThat(logged(Level.WARNING)).singleElement().satisfies(t -> assertThat(t)
                .startsWith("a ChatStream to " + ENDPOINT + " was dropped without being consumed or closed"));
        assertNoToken();
    }
}
