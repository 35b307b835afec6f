package dev.chat852.mock.tck;

import dev.chat852.ChatClient;
import dev.chat852.ChatEvent;
import dev.chat852.ChatRequest;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.RecordedRequest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import dev.chat852.spi.Transport;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK against {@code ChatStream} through a real transport and the mock server. A
 * stream of N events is a recording of N - 1 header blocks, each one {@link ChatEvent.HeaderReceived}
 * whatever the chunking of the socket, then {@link ChatEvent.Completed}. As in core's memory-driven run,
 * asked for none it gives the one {@code Completed} event, and the optional multi-subscriber tests are
 * skipped (a stream is consumed once).
 *
 * <p>Recordings are finite: streams are capped at {@value #MAX_ELEMENTS} events, so the one required
 * test that asks for {@code Integer.MAX_VALUE} elements (rule 3.17, demand past {@code Long.MAX_VALUE})
 * is skipped here; core's {@code ChatStreamTckTest} runs it against an endless stream.
 */
abstract class ChatStreamOverMockTck extends FlowPublisherVerification<ChatEvent> {
    static final int MAX_ELEMENTS = 1024;

    private final AtomicLong ids = new AtomicLong();
    // Started before the class's tests, not here: TestNG makes an instance while discovering tests.
    private MockServer server;
    private Transport transport;
    private ChatClient client;

    ChatStreamOverMockTck() {
        super(new TestEnvironment(5_000, 100));
    }

    abstract Transport newTransport();

    @Override
    public long maxElementsFromPublisher() {
        return MAX_ELEMENTS;
    }

    @Override
    public Flow.Publisher<ChatEvent> createFlowPublisher(long elements) {
        RecordedResponse.Builder body = RecordedResponse.builder();
        for (long i = 1; i < elements; i++) {
            body.chunk(0, "start852{\"event\":" + i + "}end852");
        }
        return answered(body.build());
    }

    @Override
    public Flow.Publisher<ChatEvent> createFailedFlowPublisher() {
        return answered(RecordedResponse.apiError(401, "token无效"));
    }

    /** A stream whose request only {@code response} answers. */
    private Flow.Publisher<ChatEvent> answered(RecordedResponse response) {
        String prompt = "tck-" + ids.incrementAndGet();
        server.enqueue(Recording.builder().name(prompt)
                .request(RecordedRequest.builder().message("user", prompt).build()).response(response).build());
        return client.stream(ChatRequest.of(prompt));
    }

    @BeforeClass
    public void start() {
        server = MockServer.builder().token("tck").speed(0).build().start();
        transport = newTransport();
        client = ChatClient.builder().transport(transport).baseUrl(server.baseUri().toString()).token("tck").build();
    }

    @AfterClass
    public void close() {
        client.close();
        transport.close();
        server.close();
    }
}
