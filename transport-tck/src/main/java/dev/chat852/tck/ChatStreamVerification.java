package dev.chat852.tck;

import dev.chat852.ChatClient;
import dev.chat852.ChatEvent;
import dev.chat852.ChatRequest;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.RecordedRequest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * The Reactive Streams TCK's publisher rules for a {@code ChatStream} through a real transport and the
 * mock server. A stream of N events is a recording of N - 1 header blocks, each one
 * {@link ChatEvent.HeaderReceived} whatever the chunking of the socket, then {@link ChatEvent.Completed};
 * asked for none it gives the one {@code Completed} event. The failed publisher is the API's error for a
 * bad token. Recordings are finite: streams are capped at {@value #MAX_ELEMENTS} events.
 */
final class ChatStreamVerification extends FlowPublisherVerification<ChatEvent> {
    static final int MAX_ELEMENTS = 1024;

    private final AtomicLong ids = new AtomicLong();
    private final MockServer server;
    private final ChatClient client;

    ChatStreamVerification(MockServer server, ChatClient client) {
        super(new TestEnvironment(5_000, 100));
        this.server = server;
        this.client = client;
    }

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
}
