package dev.chat852.transport.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat852.ChatTimeoutException;
import dev.chat852.spi.Exchange;
import dev.chat852.testkit.HostileServer;
import dev.chat852.transport.netty.internal.PoolStats;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Connections: keep-alive and the pool, cancelling, and failures before and during the response. */
class NettyTransportConnectionsTest extends NettyTransportFixture {

    // ---- connections ----------------------------------------------------------------------------------

    @Test
    void sequentialRequestsReuseOneKeepAliveConnection() throws Exception {
        HostileServer server = server((req, c) -> c.fixed(("answer " + req.connection()).getBytes(UTF_8)));
        NettyTransport t = transport();

        RecordingHandler first = new RecordingHandler();
        run(t, server.baseUri().toString(), first);
        first.awaitCompletion();
        RecordingHandler second = new RecordingHandler();
        run(t, server.baseUri().toString(), second);
        second.awaitCompletion();

        assertThat(server.connections()).isEqualTo(1);
        assertThat(t.poolStats()).isEqualTo(new PoolStats(0, 1));
    }

    @Test
    void aCallOnAnIdleConnectionAsksNoEventLoopForAConnectTimer() throws Exception {
        HostileServer server = server((req, c) -> c.fixed("ok".getBytes(UTF_8)));
        CountingGroup group = new CountingGroup();
        try {
            NettyTransport t = closeLater(NettyTransport.builder().eventLoopGroup(group).build());
            RecordingHandler warm = new RecordingHandler();
            run(t, server.baseUri().toString(), warm);
            warm.awaitCompletion(); // the connection is idle in the pool now
            int before = group.picks.get();

            RecordingHandler h = new RecordingHandler();
            t.execute(post(server.baseUri().toString(), "{}", Duration.ofSeconds(60)), h).request(Long.MAX_VALUE);

            // A timer would be scheduled on a loop the group picks (from the caller's thread: a wake-up
            // of that loop) and cancelled at once: work for nothing when the connection is already open.
            assertThat(new String(h.awaitCompletion(), UTF_8)).isEqualTo("ok");
            assertThat(group.picks.get()).isEqualTo(before);
            assertThat(server.connections()).isEqualTo(1);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Counts the loops it hands out: one for each channel registered or timer scheduled. */
    private static final class CountingGroup extends MultiThreadIoEventLoopGroup {
        final AtomicInteger picks = new AtomicInteger();

        CountingGroup() {
            super(1, NioIoHandler.newFactory());
        }

        @Override
        public IoEventLoop next() {
            picks.incrementAndGet();
            return super.next();
        }
    }

    @Test
    void connectionCloseFromTheServerIsNotReused() throws Exception {
        HostileServer server = server((req, c) -> {
            c.fixed("bye".getBytes(UTF_8), "Connection: close");
            c.close();
        });
        NettyTransport t = transport();

        RecordingHandler first = new RecordingHandler();
        run(t, server.baseUri().toString(), first);
        first.awaitCompletion();
        await().atMost(Duration.ofSeconds(5)).until(() -> t.poolStats().equals(new PoolStats(0, 0)));
        RecordingHandler second = new RecordingHandler();
        run(t, server.baseUri().toString(), second);
        second.awaitCompletion();

        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void idleConnectionClosedByTheServerLeavesThePool() throws Exception {
        HostileServer server = server((req, c) -> {
            c.fixed("ok".getBytes(UTF_8)); // keep-alive by HTTP/1.1's default ...
            Thread.sleep(100);
            c.close(); // ... but the server drops it while idle
        });
        NettyTransport t = transport();

        RecordingHandler first = new RecordingHandler();
        run(t, server.baseUri().toString(), first);
        first.awaitCompletion();
        await().atMost(Duration.ofSeconds(5)).until(() -> t.poolStats().equals(new PoolStats(0, 0)));

        RecordingHandler second = new RecordingHandler();
        run(t, server.baseUri().toString(), second);
        assertThat(new String(second.awaitCompletion(), UTF_8)).isEqualTo("ok");
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void cancelMidBodyClosesTheConnectionAndLeavesNothingLeased() throws Exception {
        CompletableFuture<Boolean> serverSawEof = new CompletableFuture<>();
        HostileServer server = server((req, c) -> {
            c.head(200, "Transfer-Encoding: chunked");
            c.chunk("partial".getBytes(UTF_8));
            serverSawEof.complete(c.awaitClose(Duration.ofSeconds(5)));
        });
        NettyTransport t = transport();
        RecordingHandler h = new RecordingHandler();

        Exchange ex = run(t, server.baseUri().toString(), h);
        await().atMost(Duration.ofSeconds(5)).until(() -> h.bodyBytes.get() > 0);
        ex.cancel();
        ex.cancel(); // idempotent

        assertThat(serverSawEof.get(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> t.poolStats().equals(new PoolStats(0, 0)));
        Thread.sleep(100);
        assertThat(h.completed).isNotDone();
        assertThat(h.failed).isNotDone();
        assertThat(h.violations).isEmpty();
    }

    @Test
    void cancelBeforeTheResponseClosesTheConnectionAndCallsNothing() throws Exception {
        CompletableFuture<Boolean> serverSawEof = new CompletableFuture<>();
        HostileServer server = server((req, c) -> serverSawEof.complete(c.awaitClose(Duration.ofSeconds(5))));
        NettyTransport t = transport();
        RecordingHandler h = new RecordingHandler();

        Exchange ex = run(t, server.baseUri().toString(), h);
        server.takeRequest();
        ex.cancel();

        assertThat(serverSawEof.get(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> t.poolStats().equals(new PoolStats(0, 0)));
        assertThat(h.status).isNotDone();
        assertThat(h.failed).isNotDone();
    }

    @Test
    void requestsBeyondMaxConnectionsPerHostWaitForAFreeConnection() throws Exception {
        CountDownLatch answerFirst = new CountDownLatch(1);
        HostileServer server = server((req, c) -> {
            if (req.connection() == 1 && answerFirst.getCount() > 0) {
                answerFirst.await(5, TimeUnit.SECONDS);
            }
            c.fixed("done".getBytes(UTF_8));
        });
        NettyTransport t = closeLater(NettyTransport.builder().maxConnectionsPerHost(1).build());

        RecordingHandler first = new RecordingHandler();
        run(t, server.baseUri().toString(), first);
        server.takeRequest();
        RecordingHandler second = new RecordingHandler();
        run(t, server.baseUri().toString(), second);
        Thread.sleep(200);
        assertThat(t.poolStats()).isEqualTo(new PoolStats(1, 0));
        answerFirst.countDown();

        first.awaitCompletion();
        second.awaitCompletion();
        assertThat(server.connections()).isEqualTo(1);
    }

    // ---- failures -------------------------------------------------------------------------------------

    @Test
    void refusedConnectionIsReportedWithItsCause() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RecordingHandler h = new RecordingHandler();
        NettyTransport t = transport();

        run(t, "http://127.0.0.1:" + port, h);

        assertThat(h.awaitFailure()).isInstanceOf(ConnectException.class);
        assertThat(t.poolStats()).isEqualTo(new PoolStats(0, 0));
        assertThat(h.violations).isEmpty();
    }

    @Test
    void connectTimeoutIsReportedAsAConnectTimeout_whenTheTcpHandshakeHangs() throws Exception {
        // A listener that never accepts, with its backlog full: the kernel drops further SYNs.
        ServerSocket listener = closeLater(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        boolean hangs = false;
        for (int i = 0; i < 16 && !hangs; i++) {
            Socket filler = closeLater(new Socket());
            try {
                filler.connect(address, 200);
            } catch (SocketTimeoutException e) {
                hangs = true;
            }
        }
        Assumptions.assumeTrue(hangs, "this kernel does not let a TCP connect hang on loopback");
        RecordingHandler h = new RecordingHandler();
        NettyTransport t = transport();
        Duration timeout = Duration.ofMillis(300);

        t.execute(post("http://127.0.0.1:" + listener.getLocalPort(), "{}", timeout), h).request(1);

        Throwable error = h.awaitFailure();
        assertThat(error).isInstanceOfSatisfying(ChatTimeoutException.class, e -> {
            assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.CONNECT);
            assertThat(e.timeout()).isEqualTo(timeout);
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> t.poolStats().equals(new PoolStats(0, 0)));
    }

    @Test
    void connectTimeoutCoversTheTlsHandshake() throws Exception {
        // accepts TCP, never answers the ClientHello
        ServerSocket silent = closeLater(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        List<Socket> accepted = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept());
                }
            } catch (IOException e) {
                // closed
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        RecordingHandler h = new RecordingHandler();
        NettyTransport t = transport();

        t.execute(post("https://127.0.0.1:" + silent.getLocalPort(), "{}", Duration.ofMillis(300)), h);

        assertThat(h.awaitFailure()).isInstanceOfSatisfying(ChatTimeoutException.class,
                e -> assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.CONNECT));
        await().atMost(Duration.ofSeconds(5)).until(() -> t.poolStats().equals(new PoolStats(0, 0)));
    }

    @Test
    void connectTimeoutCoversTheWaitForAFreeConnection() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HostileServer server = server((req, c) -> {
            release.await(5, TimeUnit.SECONDS);
            c.fixed("late".getBytes(UTF_8));
        });
        NettyTransport t = closeLater(NettyTransport.builder().maxConnectionsPerHost(1).build());
        RecordingHandler first = new RecordingHandler();
        run(t, server.baseUri().toString(), first);
        server.takeRequest();

        RecordingHandler second = new RecordingHandler();
        t.execute(post(server.baseUri().toString(), "{}", Duration.ofMillis(200)), second).request(1);

        assertThat(second.awaitFailure()).isInstanceOfSatisfying(ChatTimeoutException.class,
                e -> assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.CONNECT));
        release.countDown();
        assertThat(new String(first.awaitCompletion(), UTF_8)).isEqualTo("late");
    }

    @Test
    void serverClosingBeforeTheContentLengthIsReachedFailsTheExchange() throws Exception {
        HostileServer server = server((req, c) -> {
            c.head(200, "Content-Length: 100");
            c.raw("only ten b".getBytes(UTF_8));
            c.close();
        });
        RecordingHandler h = new RecordingHandler();
        NettyTransport t = transport();

        run(t, server.baseUri().toString(), h);

        assertThat(h.awaitFailure()).isNotNull();
        assertThat(h.completed).isNotDone();
        await().atMost(Duration.ofSeconds(5)).until(() -> t.poolStats().equals(new PoolStats(0, 0)));
        assertThat(h.violations).isEmpty();
    }

    @Test
    void resetMidChunkedBodyFailsTheExchange() throws Exception {
        HostileServer server = server((req, c) -> {
            c.head(200, "Transfer-Encoding: chunked");
            c.chunk("some".getBytes(UTF_8));
            Thread.sleep(100);
            c.reset();
        });
        RecordingHandler h = new RecordingHandler();

        run(transport(), server.baseUri().toString(), h);

        assertThat(h.awaitFailure()).isNotNull();
        assertThat(h.completed).isNotDone();
        assertThat(h.violations).isEmpty();
    }

    @Test
    void serverClosingBeforeTheResponseFailsTheExchange() throws Exception {
        HostileServer server = server((req, c) -> c.close());
        RecordingHandler h = new RecordingHandler();

        run(transport(), server.baseUri().toString(), h);

        assertThat(h.awaitFailure()).isInstanceOf(IOException.class);
        assertThat(h.status).isNotDone();
    }
}
