package dev.chat852.transport.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.spi.Exchange;
import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.Peer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cancelling stops the handler calls and closes the connection, from any thread, at any point. */
class JdkTransportCancelTest {
    private static final Duration EOF_WAIT = Duration.ofSeconds(5);

    private final HostileServer server = HostileServer.interactive();
    private final JdkTransport transport = JdkTransport.create();
    private final Recorder recorder = new Recorder();

    JdkTransportCancelTest() throws IOException {
    }

    @AfterEach
    void tearDown() throws Exception {
        transport.close();
        server.close();
        assertThat(recorder.violations()).isEmpty();
    }

    @Test
    void cancelMidBodyClosesTheConnectionAndStopsHandlerCalls() throws Exception {
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), recorder);
        exchange.request(Long.MAX_VALUE);
        Peer conn = server.accept();
        conn.readRequest();
        conn.chunkedHead(200, "text/event-stream").chunk("first");
        recorder.awaitChunks(1);

        exchange.cancel();

        assertThat(conn.awaitClose(EOF_WAIT)).as("server sees the connection closed").isTrue();
        Recorder.quietPeriod();
        assertThat(recorder.chunkStrings()).containsExactly("first");
        assertThat(recorder.ended()).as("no onComplete or onError after cancel").isFalse();
    }

    @Test
    void cancelWhileWaitingForTheResponseClosesTheConnectionAndCallsNothing() throws Exception {
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), recorder);
        Peer conn = server.accept();
        conn.readRequest();

        exchange.cancel();

        assertThat(conn.awaitClose(EOF_WAIT)).isTrue();
        Recorder.quietPeriod();
        assertThat(recorder.status).isNotDone();
        assertThat(recorder.ended()).isFalse();
    }

    @Test
    void cancelAfterTheHeadersBeforeAnyDemandClosesTheConnection() throws Exception {
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), recorder);
        Peer conn = server.accept();
        conn.readRequest();
        conn.chunkedHead(200, "text/event-stream").chunk("unread");
        recorder.awaitStatus();

        exchange.cancel();
        exchange.request(5); // ignored after the end

        assertThat(conn.awaitClose(EOF_WAIT)).isTrue();
        Recorder.quietPeriod();
        assertThat(recorder.chunkCount()).isZero();
        assertThat(recorder.ended()).isFalse();
    }

    @Test
    void cancelRightAfterExecuteOpensNoExchange() throws Exception {
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), recorder);
        exchange.cancel();

        Recorder.quietPeriod();
        Peer conn = server.acceptNow();
        if (conn != null) { // the connect may have won the race: then it is closed
            assertThat(conn.awaitClose(EOF_WAIT)).isTrue();
        }
        assertThat(recorder.status).isNotDone();
        assertThat(recorder.ended()).isFalse();
    }

    @Test
    void cancelIsIdempotentAndWorksFromAnotherThreadWhileTheHandlerIsBlocked() throws Exception {
        CountDownLatch inBody = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recorder blocking = new Recorder() {
            @Override
            void body(byte[] chunk) {
                inBody.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), blocking);
        exchange.request(Long.MAX_VALUE);
        Peer conn = server.accept();
        conn.readRequest();
        conn.chunkedHead(200, "text/event-stream").chunk("one");
        assertThat(inBody.await(10, TimeUnit.SECONDS)).isTrue();
        conn.chunk("two").chunk("three").endChunks();

        CompletableFuture<Void> cancelled = CompletableFuture.runAsync(() -> {
            exchange.cancel();
            exchange.cancel();
        });
        cancelled.get(5, TimeUnit.SECONDS); // does not wait for the handler
        exchange.cancel();
        release.countDown();

        Recorder.quietPeriod();
        assertThat(blocking.chunkStrings()).containsExactly("one");
        assertThat(blocking.ended()).isFalse();
        assertThat(blocking.violations()).isEmpty();
    }

    @Test
    void aHandlerThatThrowsIsToldWhyAndTheConnectionIsClosed() throws Exception {
        IllegalStateException thrown = new IllegalStateException("handler bug");
        Recorder throwing = new Recorder() {
            @Override
            void body(byte[] chunk) {
                throw thrown;
            }
        };
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), throwing);
        exchange.request(Long.MAX_VALUE);
        Peer conn = server.accept();
        conn.readRequest();
        conn.chunkedHead(200, "text/event-stream").chunk("boom");

        assertThat(throwing.awaitEnd()).isSameAs(thrown);
        assertThat(conn.awaitClose(EOF_WAIT)).isTrue();
    }
}
