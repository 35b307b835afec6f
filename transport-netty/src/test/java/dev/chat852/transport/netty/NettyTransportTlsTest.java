package dev.chat852.transport.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat852.testkit.HostileServer;
import dev.chat852.transport.netty.internal.PoolStats;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NettyTransportTlsTest {
    private static final Duration CONNECT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    /** Valid for 127.0.0.1. */
    static TestCertificates loopback;
    /** Valid only for another name. */
    static TestCertificates otherHost;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        loopback = TestCertificates.generate(dir, "dns:localhost,ip:127.0.0.1");
        otherHost = TestCertificates.generate(dir, "dns:chat.example");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private HostileServer tlsServer(TestCertificates certs) throws Exception {
        HostileServer server = HostileServer.answering((req, c) -> {
            c.head(200, "Transfer-Encoding: chunked", "Content-Type: text/plain");
            c.chunk("start852{}end852".getBytes(UTF_8));
            c.chunk("加密的".getBytes(UTF_8));
            c.endChunks();
        }, certs.server);
        toClose.add(server);
        return server;
    }

    private NettyTransport trusting(TestCertificates certs) throws Exception {
        SslContext ssl = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(certs.certificate).build();
        NettyTransport t = NettyTransport.builder().sslContext(ssl).build();
        toClose.add(t);
        return t;
    }

    private static String httpsUrl(HostileServer server) {
        return "https://127.0.0.1:" + server.port();
    }

    @Test
    void httpsWorksAndKeepsTheConnection_whenTheServerCertificateIsTrusted() throws Exception {
        HostileServer server = tlsServer(loopback);
        NettyTransport t = trusting(loopback);

        for (int i = 0; i < 2; i++) {
            RecordingHandler h = new RecordingHandler();
            t.execute(NettyTransportFixture.post(httpsUrl(server), "{}", CONNECT), h).request(Long.MAX_VALUE);
            assertThat(new String(h.awaitCompletion(), UTF_8)).isEqualTo("start852{}end852加密的");
            assertThat(h.violations).isEmpty();
        }

        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.takeRequest().headers()).containsEntry("host", "127.0.0.1:" + server.port());
        assertThat(t.poolStats()).isEqualTo(new PoolStats(0, 1));
    }

    @Test
    void httpsRefusesAnUntrustedCertificate_withTheDefaultTrustStore() throws Exception {
        HostileServer server = tlsServer(loopback);
        NettyTransport t = NettyTransport.create();
        toClose.add(t);
        RecordingHandler h = new RecordingHandler();

        t.execute(NettyTransportFixture.post(httpsUrl(server), "{}", CONNECT), h).request(1);

        assertThat(h.awaitFailure()).isInstanceOf(SSLHandshakeException.class);
        assertThat(h.status).isNotDone();
        await().atMost(Duration.ofSeconds(5)).until(() -> t.poolStats().equals(new PoolStats(0, 0)));
    }

    @Test
    void httpsRefusesATrustedCertificateForAnotherHost() throws Exception {
        HostileServer server = tlsServer(otherHost);
        NettyTransport t = trusting(otherHost);
        RecordingHandler h = new RecordingHandler();

        t.execute(NettyTransportFixture.post(httpsUrl(server), "{}", CONNECT), h).request(1);

        assertThat(h.awaitFailure()).isInstanceOf(SSLHandshakeException.class)
                .hasRootCauseInstanceOf(CertificateException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> t.poolStats().equals(new PoolStats(0, 0)));
    }
}
