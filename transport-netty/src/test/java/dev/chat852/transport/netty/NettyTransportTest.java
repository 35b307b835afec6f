package dev.chat852.transport.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chat852.ChatClient;
import dev.chat852.ChatCompletion;
import dev.chat852.spi.Exchange;
import dev.chat852.spi.Transport;
import dev.chat852.spi.TransportProvider;
import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.Peer;
import dev.chat852.transport.netty.internal.PoolStats;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Bodies, demand, the transport's life cycle, and the whole path through a client and the service loader. */
class NettyTransportTest extends NettyTransportFixture {

    // ---- bodies ---------------------------------------------------------------------------------------

    @Test
    void contentLengthBodyArrivesWhole_withStatusAndLowerCaseHeadersInOrder() throws Exception {
        HostileServer server = server((req, c) -> c.fixed("hello, 世界".getBytes(UTF_8),
                "Content-Type: text/plain; charset=utf-8", "X-Multi: first", "x-multi: second"));
        RecordingHandler h = new RecordingHandler();

        run(transport(), server.baseUri().toString(), h);

        assertThat(new String(h.awaitCompletion(), UTF_8)).isEqualTo("hello, 世界");
        assertThat(h.status.get()).isEqualTo(200);
        assertThat(h.headers).containsEntry("content-type", List.of("text/plain; charset=utf-8"))
                .containsEntry("x-multi", List.of("first", "second"))
                .containsEntry("content-length", List.of(String.valueOf("hello, 世界".getBytes(UTF_8).length)));
        assertThat(h.violations).isEmpty();
    }

    @Test
    void chunkedBodyArrivesWithTheChunkFramingRemoved() throws Exception {
        HostileServer server = server((req, c) -> {
            c.head(200, "Transfer-Encoding: chunked", "Content-Type: text/plain");
            c.chunk("start852{\"a\":1}end852".getBytes(UTF_8));
            c.chunk("你好".getBytes(UTF_8));
            c.chunk("undefined".getBytes(UTF_8));
            c.endChunks();
        });
        RecordingHandler h = new RecordingHandler();

        run(transport(), server.baseUri().toString(), h);

        assertThat(new String(h.awaitCompletion(), UTF_8)).isEqualTo("start852{\"a\":1}end852你好undefined");
        assertThat(h.violations).isEmpty();
    }

    @Test
    void emptyBodyCompletesWithoutBodyCalls() throws Exception {
        HostileServer server = server((req, c) -> c.fixed(new byte[0]));
        RecordingHandler h = new RecordingHandler();

        run(transport(), server.baseUri().toString(), h);

        assertThat(h.awaitCompletion()).isEmpty();
        assertThat(h.bodyCalls.get()).isZero();
    }

    @Test
    void errorStatusAndItsBodyAreDeliveredLikeAnyOther() throws Exception {
        HostileServer server = server((req, c) -> {
            c.head(503, "Content-Length: 4");
            c.raw("busy".getBytes(UTF_8));
        });
        RecordingHandler h = new RecordingHandler();

        run(transport(), server.baseUri().toString(), h);

        assertThat(new String(h.awaitCompletion(), UTF_8)).isEqualTo("busy");
        assertThat(h.status.get()).isEqualTo(503);
    }

    @Test
    void requestGoesOutAsPostWithHostContentLengthHeadersAndBody() throws Exception {
        HostileServer server = server((req, c) -> c.fixed(new byte[0]));
        RecordingHandler h = new RecordingHandler();
        String body = "{\"token\":\"t\",\"text\":\"你好\"}";

        transport().execute(post(server.baseUri().toString(), body, CONNECT), h).request(1);
        h.awaitCompletion();

        Peer.Request req = server.takeRequest();
        assertThat(req.line()).isEqualTo("POST /api/chat?x=1 HTTP/1.1");
        assertThat(req.headers()).containsEntry("host", "127.0.0.1:" + server.port())
                .containsEntry("content-type", "application/json")
                .containsEntry("content-length", String.valueOf(body.getBytes(UTF_8).length));
        assertThat(req.bodyText()).isEqualTo(body);
    }

    @Test
    void handlerIsCalledOnTheTransportsOwnDaemonThreads() throws Exception {
        HostileServer server = server((req, c) -> c.fixed("x".getBytes(UTF_8)));
        RecordingHandler h = new RecordingHandler();

        run(transport(), server.baseUri().toString(), h);
        h.awaitCompletion();

        assertThat(h.threads).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("chat852-netty-"));
    }

    @Test
    void bodyReachesTheHandlerAsViewsOfNettysBuffers_notAsCopies() throws Exception {
        Assumptions.assumeTrue(PlatformDependent.directBufferPreferred(), "Netty reads into heap buffers here");
        HostileServer server = server((req, c) -> {
            c.head(200, "Transfer-Encoding: chunked");
            for (int i = 0; i < 20; i++) {
                c.chunk(new byte[1000]);
            }
            c.endChunks();
        });
        RecordingHandler h = new RecordingHandler();

        run(transport(), server.baseUri().toString(), h);

        assertThat(h.awaitCompletion()).hasSize(20_000);
        assertThat(h.allDirect).as("every onBody buffer is direct memory, read in place").isTrue();
    }

    @Test
    void aHandlerThatThrowsFromOnBodyEndsTheExchangeWithThatErrorInsteadOfHangingIt() throws Exception {
        HostileServer server = server((req, c) -> {
            c.head(200, "Transfer-Encoding: chunked");
            c.chunk("boom".getBytes(UTF_8));
            c.awaitClose(Duration.ofSeconds(5));
        });
        NettyTransport t = transport();
        IllegalStateException broken = new IllegalStateException("handler bug");
        RecordingHandler h = new RecordingHandler().throwFromBody(broken);

        Exchange ex = t.execute(post(server.baseUri().toString(), "{}", CONNECT), h);
        h.status.get(5, TimeUnit.SECONDS);
        ex.request(1); // from this thread, so the failure surfaces on the event loop, not here

        assertThat(h.awaitFailure()).isSameAs(broken);
        await().atMost(Duration.ofSeconds(5)).until(() -> t.poolStats().equals(new PoolStats(0, 0)));
    }

    /**
     * An Error (an OutOfMemoryError while decoding, say) from a handler called on the event loop for a
     * read the consumer asked for from its own thread: the exchange fails with it at once and its
     * connection closes, and the transport goes on serving.
     */
    @Test
    void anErrorThrownFromOnBodyEndsTheExchangeWithItAtOnceAndTheTransportServesOn() throws Exception {
        HostileServer server = server((req, c) -> {
            // The head and the first chunk in one write, so both arrive in one read before any demand.
            c.raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nboom\r\n".getBytes(UTF_8));
            c.chunk("more".getBytes(UTF_8));
            c.endChunks();
        });
        NettyTransport t = transport();
        OutOfMemoryError oom = new OutOfMemoryError("simulated: Java heap space");
        RecordingHandler h = new RecordingHandler().throwFromBody(oom);

        Exchange ex = t.execute(post(server.baseUri().toString(), "{}", CONNECT), h);
        h.status.get(5, TimeUnit.SECONDS);
        Thread.sleep(100); // the read that brought the head and "boom" has completed
        ex.request(1); // from this thread: "boom" is delivered, and the Error thrown, in a task on the event loop

        assertThat(h.awaitFailure()).isSameAs(oom);
        await().atMost(Duration.ofSeconds(5)).until(() -> t.poolStats().equals(new PoolStats(0, 0)));
        RecordingHandler next = new RecordingHandler();
        run(t, server.baseUri().toString(), next);
        assertThat(new String(next.awaitCompletion(), UTF_8)).isEqualTo("boommore");
        assertThat(h.violations).isEmpty();
    }

    // ---- demand ---------------------------------------------------------------------------------------

    @Test
    void bodyIsReadOnlyAsFarAsDemandAllows_soASlowConsumerStallsTheServer() throws Exception {
        int total = 32 << 20;
        byte[] piece = new byte[16 << 10];
        AtomicReference<Peer> serverSide = new AtomicReference<>();
        HostileServer server = server((req, c) -> {
            serverSide.set(c);
            c.head(200, "Transfer-Encoding: chunked");
            for (int sent = 0; sent < total; sent += piece.length) {
                c.chunk(piece);
            }
            c.endChunks();
        });
        RecordingHandler h = new RecordingHandler().countOnly();

        Exchange ex = transport().execute(post(server.baseUri().toString(), "{}", CONNECT), h);
        assertThat(h.status.get(5, TimeUnit.SECONDS)).isEqualTo(200);
        Thread.sleep(300);
        assertThat(h.bodyBytes.get()).as("body before any request(n)").isZero();

        ex.request(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> h.bodyBytes.get() > 0);
        Thread.sleep(300);
        long afterOne = h.bodyBytes.get();
        assertThat(afterOne).as("body delivered for one read").isLessThanOrEqualTo(128 << 10);

        ex.request(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> h.bodyBytes.get() > afterOne);
        Thread.sleep(300);
        long afterThree = h.bodyBytes.get();
        assertThat(afterThree).as("body delivered for three reads").isLessThanOrEqualTo(3 * (128 << 10));
        assertThat(serverSide.get().bodyWritten()).as("the server is held back by TCP").isLessThan(total);
        assertThat(h.completed).isNotDone();

        ex.request(Long.MAX_VALUE);
        h.awaitCompletion();
        assertThat(h.bodyBytes.get()).isEqualTo(total);
        assertThat(h.violations).isEmpty();
    }

    @Test
    void oneByteChunksEachReachTheHandlerWithoutWaitingForMore() throws Exception {
        CountDownLatch next = new CountDownLatch(1);
        HostileServer server = server((req, c) -> {
            c.head(200, "Transfer-Encoding: chunked");
            c.chunk(new byte[] {'a'});
            next.await(5, TimeUnit.SECONDS);
            c.chunk(new byte[] {'b'});
            c.endChunks();
        });
        RecordingHandler h = new RecordingHandler();

        run(transport(), server.baseUri().toString(), h);

        await().atMost(Duration.ofSeconds(5)).until(() -> h.bodyBytes.get() == 1);
        next.countDown();
        assertThat(new String(h.awaitCompletion(), UTF_8)).isEqualTo("ab");
    }

    // ---- lifecycle ------------------------------------------------------------------------------------

    @Test
    void closeFailsRunningExchangesAndLeavesNoThreadsBehind() throws Exception {
        Set<Thread> before = nettyThreads();
        HostileServer server = server((req, c) -> c.awaitClose(Duration.ofSeconds(5)));
        NettyTransport t = NettyTransport.create();
        RecordingHandler h = new RecordingHandler();
        run(t, server.baseUri().toString(), h);
        server.takeRequest();

        t.close();
        t.close(); // idempotent

        assertThat(h.failed).isDone();
        assertThat(h.failed.get()).isInstanceOf(IOException.class);
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(nettyThreads()).isSubsetOf(before));
        assertThatThrownBy(() -> t.execute(post(server.baseUri().toString(), "{}", CONNECT), new RecordingHandler()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void creatingAndClosingAnUnusedTransportStartsNoThread() {
        NettyTransport t = NettyTransport.create();
        assertThat(threadsNamed(t.threadNamePrefix())).isEmpty();
        t.close();

        // Only this transport's threads (another test's transport may still be winding down); shutting
        // down may start a thread to run the shutdown, which ends just after the group reports it ended.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(threadsNamed(t.threadNamePrefix())).isEmpty());
    }

    private static Set<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).collect(Collectors.toSet());
    }

    @Test
    void aSuppliedEventLoopGroupIsUsedButNotShutDown() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            HostileServer server = server((req, c) -> c.fixed("x".getBytes(UTF_8)));
            NettyTransport t = NettyTransport.builder().eventLoopGroup(group).build();
            RecordingHandler h = new RecordingHandler();
            run(t, server.baseUri().toString(), h);
            h.awaitCompletion();
            assertThat(h.threads).allSatisfy(name -> assertThat(name).doesNotStartWith("chat852-netty-"));

            t.close();

            assertThat(group.isShuttingDown()).isFalse();
            assertThat(t.poolStats()).isEqualTo(new PoolStats(0, 0));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aNonNioEventLoopGroupIsRefused() throws Exception {
        MultiThreadIoEventLoopGroup local = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        DefaultEventLoopGroup noIo = new DefaultEventLoopGroup(1);
        try {
            assertThatThrownBy(() -> NettyTransport.builder().eventLoopGroup(local))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> NettyTransport.builder().eventLoopGroup(noIo))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            local.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            noIo.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void toStringsShowSettingsButNeverTheRequestBody() throws Exception {
        HostileServer server = server((req, c) -> c.awaitClose(Duration.ofSeconds(5)));
        NettyTransport t = transport();

        Exchange ex = t.execute(post(server.baseUri().toString(), "{\"token\":\"sk-secret-123\"}", CONNECT), new RecordingHandler());
        server.takeRequest();

        assertThat(t.toString()).contains("maxConnectionsPerHost=64").doesNotContain("sk-secret-123");
        assertThat(ex.toString()).doesNotContain("sk-secret-123");
        ex.cancel();
    }

    // ---- through the client and the service loader -----------------------------------------------------

    @Test
    void chatClientStreamsTextSentOneByteAChunk() throws Exception {
        byte[] wire = "start852{\"a\":1}end852你好undefined".getBytes(UTF_8);
        HostileServer server = server((req, c) -> {
            c.head(200, "Content-Type: text/plain; charset=utf-8", "Transfer-Encoding: chunked");
            for (byte b : wire) {
                c.chunk(new byte[] {b});
            }
            c.endChunks();
        });
        NettyTransport t = transport();

        try (ChatClient client = ChatClient.builder().transport(t).baseUrl("http://127.0.0.1:" + server.port())
                .token("test-token").build()) {
            ChatCompletion completion = client.stream("hi").completion().get(10, TimeUnit.SECONDS);

            assertThat(completion.text()).isEqualTo("你好");
            assertThat(completion.header().orElseThrow().raw()).isEqualTo("{\"a\":1}");
            assertThat(client.transportName()).isEqualTo("netty");
        }
        assertThat(t.poolStats()).isEqualTo(new PoolStats(0, 1));
    }

    @Test
    void serviceLoaderFindsTheProviderNamedNetty() {
        List<TransportProvider> providers = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get).collect(Collectors.toList());

        assertThat(providers).extracting(TransportProvider::name).contains("netty");
        TransportProvider netty = providers.stream().filter(p -> p.name().equals("netty")).findFirst().orElseThrow();
        try (Transport t = netty.create()) {
            assertThat(t).isInstanceOf(NettyTransport.class);
            assertThat(t.name()).isEqualTo("netty");
        }
    }

    private static Set<Thread> nettyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(th -> th.getName().startsWith("chat852-netty") || th.getName().contains("EventExecutor")
                        || th.getName().startsWith("nioEventLoop"))
                .collect(Collectors.toSet());
    }
}
