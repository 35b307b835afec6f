package dev.chat852.cli.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.ApiException;
import dev.chat852.ChatClient;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatEvent;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.Dialect;
import dev.chat852.TransportException;
import dev.chat852.mock.Fault;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.Rechunk;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import dev.chat852.spi.Transport;
import dev.chat852.testkit.LogCapture;
import dev.chat852.testkit.OpenAiStreams;
import dev.chat852.transport.jdk.JdkTransport;
import dev.chat852.transport.netty.NettyTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * chat852's own client in the OpenAI dialect, through both transports, against the mock replaying the
 * OpenAI recordings re-cut to single bytes and to seeded random sizes: the text, the finish reason and
 * the usage must be exactly what the recording holds, read by the obvious reference.
 */
class OpenAiClientOverMockTest {
    private static final String KEY = "sk-openai-over-mock-1f2e3d";
    private static final List<Recording> RECORDINGS = Recording.demo(Dialect.OPENAI);

    static Stream<Arguments> transportsAndChunkings() {
        List<Arguments> out = new ArrayList<>();
        for (String transport : List.of("jdk", "netty")) {
            for (String rechunk : List.of("bytes", "random:1", "random:852:7", "random:99:64", "recorded")) {
                out.add(Arguments.of(transport, rechunk));
            }
        }
        return out.stream();
    }

    static Stream<String> transports() {
        return Stream.of("jdk", "netty");
    }

    private static Transport transport(String name) {
        Supplier<Transport> make = name.equals("jdk") ? JdkTransport::create : NettyTransport::create;
        return make.get();
    }

    private static ChatClient client(MockServer server, Transport transport) {
        return ChatClient.builder().dialect(Dialect.OPENAI).transport(transport).baseUrl(server.baseUri() + "/v1")
                .token(KEY).build();
    }

    @ParameterizedTest(name = "{0}, rechunk {1}")
    @MethodSource("transportsAndChunkings")
    void decodesEveryRecordingExactlyWhateverTheChunking(String transportName, String rechunk) {
        try (MockServer server = MockServer.builder().speed(0).token(KEY).rechunk(Rechunk.parse(rechunk))
                .recording(RECORDINGS.get(0)).build().start();
             Transport transport = transport(transportName);
             ChatClient client = client(server, transport)) {
            for (Recording recording : RECORDINGS) {
                server.reset();
                server.enqueue(recording);
                OpenAiStreams.Answer expected = OpenAiStreams.read(recording.response().body());

                try (ChatStream stream = client.stream(ChatRequest.of("你好"))) {
                    List<ChatEvent> events = stream.events().collect(Collectors.toList());
                    String text = events.stream().filter(e -> e instanceof ChatEvent.TextDelta)
                            .map(e -> ((ChatEvent.TextDelta) e).text()).collect(Collectors.joining());
                    ChatCompletion done = ((ChatEvent.Completed) events.get(events.size() - 1)).completion();

                    assertThat(text).as(recording.name()).isEqualTo(expected.text());
                    assertThat(done.text()).isEqualTo(expected.text());
                    assertThat(done.finishReason()).contains(expected.finishReason());
                    assertThat(done.usage()).get().extracting(ChatCompletion.Usage::json).isEqualTo(expected.usage());
                    assertThat(done.bytesReceived()).isEqualTo(recording.response().body().length);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aWholeAnswerAndAWrongKeyReadAsTheyWouldFromOpenAi(String transportName) {
        try (MockServer server = MockServer.builder().speed(0).token(KEY).recordings(RECORDINGS).build().start();
             Transport transport = transport(transportName);
             ChatClient client = client(server, transport);
             ChatClient wrongKey = ChatClient.builder().dialect(Dialect.OPENAI).transport(transport)
                     .baseUrl(server.baseUri().toString()).token("sk-not-the-key").build()) {
            ChatCompletion whole = client.complete(ChatRequest.of("你好"));
            OpenAiStreams.Answer expected = OpenAiStreams.read(RECORDINGS.get(0).response().body());
            assertThat(whole.text()).isEqualTo(expected.text());
            assertThat(whole.finishReason()).contains("stop");
            assertThat(whole.raw()).get().extracting(r -> r.get("object").asText()).isEqualTo("chat.completion");

            assertThatThrownBy(() -> wrongKey.complete(ChatRequest.of("你好"))).isInstanceOfSatisfying(ApiException.class,
                    e -> {
                        assertThat(e.httpStatus()).isEqualTo(401);
                        assertThat(e.errorCode()).contains("invalid_api_key");
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aConnectionCutMidEventKeepsTheTextOfTheCompleteEventsBeforeIt(String transportName) {
        Recording recording = RECORDINGS.get(1);
        byte[] body = recording.response().body();
        int eventEnd = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("\n\n", 2000) + 2;
        int cut = eventEnd + 30; // inside the next event
        OpenAiStreams.Answer before = OpenAiStreams.read(java.util.Arrays.copyOf(body, eventEnd));
        try (MockServer server = MockServer.builder().speed(0).recording(recording).fault(Fault.truncate(cut))
                .rechunk(Rechunk.random(5, 40)).build().start();
             Transport transport = transport(transportName);
             ChatClient client = client(server, transport);
             ChatStream stream = client.stream(ChatRequest.of("hi"))) {
            assertThatThrownBy(() -> stream.completion().join()).cause().isInstanceOf(TransportException.class);
            assertThat(stream.received().text()).isEqualTo(before.text()).isNotEmpty();
            assertThat(stream.received().finished()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void anErrorEventMidStreamIsAnApiExceptionAfterTheTextBeforeIt(String transportName) {
        Recording failing = Recording.builder().dialect(Dialect.OPENAI).response(RecordedResponse.builder()
                .header("Content-Type", "text/event-stream")
                .chunk(0, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"半\"}}]}\n\n")
                .chunk(5, "data: {\"error\":{\"message\":\"The server had an error while processing your request.\","
                        + "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n")
                .build()).build();
        try (MockServer server = MockServer.builder().speed(0).recording(failing).build().start();
             Transport transport = transport(transportName);
             ChatClient client = client(server, transport);
             ChatStream stream = client.stream(ChatRequest.of("hi"))) {
            assertThatThrownBy(() -> stream.text().collect(Collectors.joining())).isInstanceOfSatisfying(ApiException.class,
                    e -> {
                        assertThat(e.type()).contains("server_error");
                        assertThat(e.serverMessage()).startsWith("The server had an error");
                    });
            assertThat(stream.received().text()).isEqualTo("半");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void theKeyIsInNoLogLineToStringOrMessage(String transportName) {
        List<String> seen = new ArrayList<>();
        try (LogCapture capture = LogCapture.start(Set.of("io.netty", "jdk.internal.httpclient"));
             MockServer server = MockServer.builder().speed(0).token(KEY).recordings(RECORDINGS).build().start();
             Transport transport = transport(transportName);
             ChatClient client = client(server, transport);
             ChatClient wrong = ChatClient.builder().dialect(Dialect.OPENAI).transport(transport)
                     .baseUrl(server.baseUri().toString()).token(KEY + "-wrong").build()) {
            try (ChatStream stream = client.stream(ChatRequest.of("你好"))) {
                seen.add(stream.toString());
                seen.add(stream.completion().join().toString());
            }
            Throwable failure = wrong.stream(ChatRequest.of("你好")).completion().handle((ok, e) -> e).join();
            seen.add(LogCapture.stackTrace(failure));
            seen.add(client.toString());
            seen.add(server.requests().toString());
            server.requests().forEach(r -> seen.add(r.headers() + " " + r.json()));
            assertThat(capture.entries()).as("the client and the mock did log").isNotEmpty();
            capture.entries().forEach(e -> seen.add(e.text()));
        }
        assertThat(seen).noneMatch(s -> s.contains(KEY));
    }
}
