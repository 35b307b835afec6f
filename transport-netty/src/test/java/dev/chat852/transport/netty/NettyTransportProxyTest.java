package dev.chat852.transport.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.TestProxy;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests through an HTTP proxy chosen by a {@link ProxySelector}: tunnelled with CONNECT. */
class NettyTransportProxyTest {
    private static final Duration CONNECT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T resource) {
        toClose.add(resource);
        return resource;
    }

    private HostileServer answering(String text, javax.net.ssl.SSLContext tls) throws Exception {
        return closing(HostileServer.answering((req, c) -> {
            c.head(200, "Transfer-Encoding: chunked", "Content-Type: text/plain");
            c.chunk(text.getBytes(UTF_8));
            c.endChunks();
        }, tls));
    }

    private static String get(NettyTransport t, String url) throws Exception {
        RecordingHandler h = new RecordingHandler();
        t.execute(NettyTransportFixture.post(url, "{}", CONNECT), h).request(Long.MAX_VALUE);
        String body = new String(h.awaitCompletion(), UTF_8);
        assertThat(h.violations).isEmpty();
        return body;
    }

    private static ProxySelector selector(Function<URI, Proxy> choice) {
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return List.of(choice.apply(uri));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
                // not asked of this transport
            }
        };
    }

    @Test
    void httpGoesThroughTheProxysTunnelAndTheConnectionIsKept() throws Exception {
        HostileServer server = answering("经由代理", null);
        TestProxy proxy = closing(TestProxy.open());
        NettyTransport t = closing(NettyTransport.builder().proxy(ProxySelector.of(proxy.address())).build());
        String url = "http://127.0.0.1:" + server.port();

        assertThat(get(t, url)).isEqualTo("经由代理");
        assertThat(get(t, url)).isEqualTo("经由代理");

        assertThat(proxy.requestLines()).containsExactly("CONNECT 127.0.0.1:" + server.port() + " HTTP/1.1");
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void httpsIsTunnelledAndTheServerCertificateIsStillChecked() throws Exception {
        TestCertificates certs = TestCertificates.generate(dir, "dns:localhost,ip:127.0.0.1");
        HostileServer server = answering("加密的", certs.server);
        TestProxy proxy = closing(TestProxy.open());
        NettyTransport trusting = closing(NettyTransport.builder().proxy(ProxySelector.of(proxy.address()))
                .sslContext(SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(certs.certificate).build())
                .build());
        NettyTransport notTrusting = closing(NettyTransport.builder().proxy(ProxySelector.of(proxy.address())).build());
        String url = "https://127.0.0.1:" + server.port();

        assertThat(get(trusting, url)).isEqualTo("加密的");
        RecordingHandler h = new RecordingHandler();
        notTrusting.execute(NettyTransportFixture.post(url, "{}", CONNECT), h).request(Long.MAX_VALUE);
        assertThat(h.awaitFailure()).hasStackTraceContaining("SSLHandshakeException");

        assertThat(proxy.requestLines()).hasSize(2).allMatch(l -> l.equals("CONNECT 127.0.0.1:" + server.port() + " HTTP/1.1"));
    }

    @Test
    void aProxyThatRefusesFailsTheExchangeWithItsStatus() throws Exception {
        HostileServer server = answering("never", null);
        TestProxy proxy = closing(TestProxy.refusing("407 Proxy Authentication Required"));
        NettyTransport t = closing(NettyTransport.builder().proxy(ProxySelector.of(proxy.address())).build());

        RecordingHandler h = new RecordingHandler();
        t.execute(NettyTransportFixture.post("http://127.0.0.1:" + server.port(), "{}", CONNECT), h).request(Long.MAX_VALUE);

        assertThat(h.awaitFailure()).hasMessageContaining("407");
        assertThat(server.connections()).isZero();
    }

    @Test
    void aSelectorThatSaysDirectIsObeyedPerOrigin() throws Exception {
        HostileServer server = answering("direct", null);
        TestProxy proxy = closing(TestProxy.open());
        ProxySelector onlyElsewhere = selector(uri -> uri.getHost().equals("127.0.0.1") ? Proxy.NO_PROXY
                : new Proxy(Proxy.Type.HTTP, proxy.address()));
        NettyTransport t = closing(NettyTransport.builder().proxy(onlyElsewhere).build());

        assertThat(get(t, "http://127.0.0.1:" + server.port())).isEqualTo("direct");
        assertThat(proxy.requestLines()).isEmpty();
    }

    @Test
    void aSocksProxyIsRefusedWithAMessageThatSaysSo() {
        NettyTransport t = closing(NettyTransport.builder()
                .proxy(selector(uri -> new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", 1080)))).build());

        assertThatThrownBy(() -> t.execute(NettyTransportFixture.post("http://127.0.0.1:9", "{}", CONNECT), new RecordingHandler()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("SOCKS").hasMessageContaining("HTTP proxies only");
    }
}
