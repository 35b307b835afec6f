package dev.chat852.transport.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.spi.Exchange;
import dev.chat852.spi.Transport;
import dev.chat852.spi.TransportProvider;
import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.Peer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Closing, threads, ownership of the executor, discovery and what the transport shows of itself. */
class JdkTransportLifecycleTest {
    private static final String PREFIX = "chat852-jdk-";

    private final HostileServer server = HostileServer.interactive();

    JdkTransportLifecycleTest() throws IOException {
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
    }

    @Test
    void closeEndsARunningExchangeWithOnErrorAndClosesItsConnection() throws Exception {
        JdkTransport transport = JdkTransport.create();
        Recorder recorder = new Recorder();
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), recorder);
        exchange.request(Long.MAX_VALUE);
        Peer conn = server.accept();
        conn.readRequest();
        conn.chunkedHead(200, "text/event-stream").chunk("part");
        recorder.awaitChunks(1);

        transport.close();

        assertThat(recorder.awaitEnd()).isInstanceOf(IOException.class).hasMessageContaining("closed");
        assertThat(conn.awaitClose(Duration.ofSeconds(5))).isTrue();
        assertThat(recorder.violations()).isEmpty();
    }

    @Test
    void closeEndsAnExchangeStillConnectingOrWaitingWithOnError() throws Exception {
        JdkTransport transport = JdkTransport.create();
        Recorder recorder = new Recorder();
        transport.execute(TestRequests.post(server.uri("/")), recorder);
        server.accept().readRequest();

        transport.close();

        assertThat(recorder.awaitEnd()).isInstanceOf(IOException.class);
        assertThat(recorder.status).isNotDone();
        assertThat(recorder.violations()).isEmpty();
    }

    @Test
    void closeUnderLoadEndsEveryExchangeOnceAndNoThreadDiesOfIt() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        try {
            JdkTransport transport = JdkTransport.create();
            List<Recorder> recorders = new ArrayList<>();
            List<Peer> conns = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Recorder recorder = new Recorder();
                recorders.add(recorder);
                Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), recorder);
                if (i % 2 == 0) {
                    exchange.request(Long.MAX_VALUE);
                }
                if (i % 4 != 3) { // a quarter still waiting for their response
                    Peer conn = server.accept();
                    conn.readRequest();
                    conn.chunkedHead(200, "text/event-stream").chunk("part " + i);
                    conns.add(conn);
                }
            }

            transport.close();

            for (Recorder recorder : recorders) {
                assertThat(recorder.awaitEnd()).isInstanceOf(IOException.class);
            }
            for (Peer conn : conns) {
                assertThat(conn.awaitClose(Duration.ofSeconds(5))).isTrue();
            }
            Recorder.quietPeriod();
            for (Recorder recorder : recorders) {
                assertThat(recorder.violations()).isEmpty();
            }
            assertThat(uncaught).isEmpty();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    @Test
    void closeLeavesNoTransportThreadRunning() throws Exception {
        Set<Thread> before = transportThreads();
        JdkTransport transport = JdkTransport.create();
        Recorder recorder = new Recorder();
        transport.execute(TestRequests.post(server.uri("/")), recorder).request(Long.MAX_VALUE);
        Peer conn = server.accept();
        conn.readRequest();
        conn.chunkedHead(200, "text/plain").chunk("x").endChunks();
        assertThat(recorder.awaitEnd()).isNull();
        assertThat(recorder.threads()).anySatisfy(name -> assertThat(name).startsWith(PREFIX));

        transport.close();
        transport.close(); // idempotent

        Recorder.await(() -> {
            Set<Thread> now = transportThreads();
            now.removeAll(before);
            return now.isEmpty();
        }, "the transport's threads to end");
    }

    @Test
    void executeAfterCloseIsRefused() {
        JdkTransport transport = JdkTransport.create();
        transport.close();

        assertThatThrownBy(() -> transport.execute(TestRequests.post(server.uri("/")), new Recorder()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aCallersExecutorRunsTheWorkAndIsNotShutDown() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "caller-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            JdkTransport transport = JdkTransport.builder().executor(executor).build();
            Recorder recorder = new Recorder();
            transport.execute(TestRequests.post(server.uri("/")), recorder).request(Long.MAX_VALUE);
            Peer conn = server.accept();
            conn.readRequest();
            conn.chunkedHead(200, "text/plain").chunk("x").endChunks();
            assertThat(recorder.awaitEnd()).isNull();

            transport.close();

            assertThat(recorder.threads()).allSatisfy(name -> assertThat(name).startsWith("caller-"));
            assertThat(executor.isShutdown()).isFalse();
            assertThat(transport.toString()).contains("closed");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void isFoundByServiceLoaderUnderTheNameJdk() {
        List<TransportProvider> providers = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get).collect(Collectors.toList());

        assertThat(providers).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("jdk");
            try (Transport t = p.create()) {
                assertThat(t).isInstanceOf(JdkTransport.class);
                assertThat(t.name()).isEqualTo("jdk");
            }
        });
    }

    @Test
    void neitherTheTransportNorAnExchangeShowsTheRequestBody() throws Exception {
        try (JdkTransport transport = JdkTransport.create()) {
            Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), new Recorder());

            assertThat(exchange.toString()).contains("POST").doesNotContain(TestRequests.TOKEN);
            assertThat(transport.toString()).contains("running=1").doesNotContain(TestRequests.TOKEN);
            exchange.cancel();
        }
    }

    @Test
    void demandMustBePositive() throws Exception {
        try (JdkTransport transport = JdkTransport.create()) {
            Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), new Recorder());

            assertThatThrownBy(() -> exchange.request(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> exchange.request(-1)).isInstanceOf(IllegalArgumentException.class);
            exchange.cancel();
        }
    }

    private static Set<Thread> transportThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(PREFIX) && t.isAlive())
                .collect(Collectors.toSet());
    }
}
