package dev.chat852;

import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK (run by TestNG through the JUnit Platform) against {@link ChatStream},
 * through a transport that answers from memory: a stream of N events is N - 1 body reads, each one
 * {@link ChatEvent.TextDelta}, then {@link ChatEvent.Completed}. Every required rule must pass.
 *
 * <p>A stream always ends with its {@code Completed} event, so the shortest has one element: asked for
 * none, this gives that one (the two required tests that ask for none request nothing), and the optional
 * empty-stream test is skipped. A {@code ChatStream} is consumed once (rule 1.11 allows refusing a second
 * subscriber), so the optional multi-subscriber tests are skipped too.
 */
public class ChatStreamTckTest extends FlowPublisherVerification<ChatEvent> {
    // Built before the class's tests, not here: TestNG makes an instance while discovering tests.
    private ChatClient client;

    public ChatStreamTckTest() {
        super(new TestEnvironment(2_000, 50));
    }

    @Override
    public Flow.Publisher<ChatEvent> createFlowPublisher(long elements) {
        return client.stream("reads:" + Math.max(0, elements - 1));
    }

    @Override
    public Flow.Publisher<ChatEvent> createFailedFlowPublisher() {
        return client.stream("fail");
    }

    @BeforeClass
    public void buildClient() {
        client = ChatClient.builder().transport(new MemoryTransport()).baseUrl("http://127.0.0.1:9").token("tck").build();
    }

    @AfterClass
    public void closeClient() {
        client.close();
    }
}
