package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatMessage;
import dev.chat852.testkit.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher: asked first, null leaves the request to the recordings, and what it throws is a 500. */
class DispatcherTest {
    private final MockServer server = MockServer.builder().speed(0).token("sk-dispatch")
            .recording(Recording.builder().name("recorded").response(RecordedResponse.builder().chunk(0, "from the recording")
                    .build()).build())
            .build().start();

    @AfterEach
    void close() {
        server.close();
    }

    private RawHttp.Response ask(String prompt) throws Exception {
        return RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", "sk-dispatch", true, "user", prompt));
    }

    @Test
    void theDispatcherAnswersFirstAndNullLeavesTheRequestToTheRecordings() throws Exception {
        server.dispatcher(request -> request.messages().get(0).content().equals("scripted")
                ? MockResponse.of(RecordedResponse.builder().chunk(0, "from the dispatcher").build()) : null);

        assertThat(ask("scripted").text()).isEqualTo("from the dispatcher");
        assertThat(ask("other").text()).isEqualTo("from the recording");
        assertThat(server.requests()).extracting(r -> r.matched().orElse("?")).containsExactly("dispatcher", "recorded");
    }

    @Test
    void theDispatcherSeesTheRequestWithoutItsToken() throws Exception {
        CompletableFuture<ReceivedRequest> seen = new CompletableFuture<>();
        server.dispatcher(request -> {
            seen.complete(request);
            return null;
        });

        ask("看看");

        ReceivedRequest request = seen.get(5, TimeUnit.SECONDS);
        assertThat(request.messages()).containsExactly(ChatMessage.user("看看"));
        assertThat(request.hasToken()).isTrue();
        assertThat(request.json().has("token")).isFalse();
        assertThat(request.toJson()).doesNotContain("sk-dispatch");
    }

    @Test
    void aDispatcherThatThrowsGetsA500NamingTheExceptionAndAWarning() throws Exception {
        server.dispatcher(request -> {
            throw new IllegalStateException("script bug");
        });
        RawHttp.Response response;
        try (LogCapture log = LogCapture.start(Set.of("dev.chat852.mock"))) {
            response = ask("hi");
            assertThat(log.entries()).anySatisfy(e -> {
                assertThat(e.level()).isEqualTo(Level.WARNING);
                assertThat(e.text()).contains("dispatcher threw", "script bug");
            });
        }

        assertThat(response.status).isEqualTo(500);
        assertThat(response.text()).contains("\"code\":500", "the dispatcher threw java.lang.IllegalStateException");
        assertThat(server.requests()).singleElement().satisfies(r -> assertThat(r.matched()).isEmpty());
        assertThat(ask("hi again").status).as("the connection's handler serves on").isEqualTo(500);
    }

    @Test
    void resetPutsBackTheBuildersDispatcherAndForgetsOneSetOnTheServer() throws Exception {
        MockResponse fromBuilder = MockResponse.of(RecordedResponse.builder().chunk(0, "builder's").build());
        try (MockServer withOne = MockServer.builder().speed(0).dispatcher(request -> fromBuilder).build().start()) {
            withOne.dispatcher(request -> MockResponse.of(RecordedResponse.builder().chunk(0, "set later").build()));
            assertThat(RawHttp.post(withOne.baseUri(), RawHttp.chat("m", null, true, "user", "a")).text()).isEqualTo("set later");

            withOne.reset();

            assertThat(RawHttp.post(withOne.baseUri(), RawHttp.chat("m", null, true, "user", "a")).text()).isEqualTo("builder's");
        }
        server.dispatcher(request -> MockResponse.of(RecordedResponse.builder().chunk(0, "x").build()));
        server.reset();
        assertThat(ask("y").text()).isEqualTo("from the recording");
    }

    @Test
    void takeRequestWaitsForTheNextRequestAndTakesEachOnceInArrivalOrder() throws Exception {
        CompletableFuture<ReceivedRequest> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return server.takeRequest(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(taken).as("nothing has arrived yet").isNotDone();

        ask("一");
        ask("二");

        assertThat(taken.get(10, TimeUnit.SECONDS).messages()).containsExactly(ChatMessage.user("一"));
        assertThat(server.takeRequest(Duration.ofSeconds(1)).messages()).containsExactly(ChatMessage.user("二"));
        assertThat(server.takeRequest(Duration.ofMillis(100))).as("each is taken once").isNull();
    }

    @Test
    void takeRequestSkipsWhatWasClearedAndWhatTheLogDropped() throws Exception {
        ask("cleared");
        server.clearRequests();
        assertThat(server.takeRequest(Duration.ofMillis(100))).isNull();

        try (MockServer small = MockServer.builder().speed(0).requestLogLimit(2)
                .recording(Recording.of(RecordedResponse.builder().chunk(0, "x").build())).build().start()) {
            for (String prompt : List.of("1", "2", "3")) {
                RawHttp.post(small.baseUri(), RawHttp.chat("m", null, true, "user", prompt));
            }
            assertThat(small.takeRequest(Duration.ofSeconds(1)).messages()).containsExactly(ChatMessage.user("2"));
            assertThat(small.takeRequest(Duration.ofSeconds(1)).messages()).containsExactly(ChatMessage.user("3"));
        }
    }
}
