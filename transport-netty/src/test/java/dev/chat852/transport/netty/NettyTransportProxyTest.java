package dev.chat852.transport.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.chat852.ChatClient;
import dev.chat852.HttpStatusException;
import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.LogCapture;
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
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests through an HTTP proxy chosen by a {@link ProxySelector}: tunnelled with CONNECT. Proxy
 * credentials go with the CONNECT of every tunnel, http and https alike, never to the server at its end;
 * a proxy's 407 is a status that names proxy authentication, as on the JDK transport; the password is in
 * no message, log line or {@code toString}.
 */
class NettyTransportProxyTest {
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final String USER = "alice";
    private static final String PASSWORD = "pa55-w0rd-секрет";
    private static final String BASIC = basic(USER, PASSWORD);

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
        TestProxy proxy = closing(TestProxy.refusing("403 Forbidden"));
        NettyTransport t = closing(NettyTransport.builder().proxy(ProxySelector.of(proxy.address())).build());

        RecordingHandler h = new RecordingHandler();
        t.execute(NettyTransportFixture.post("http://127.0.0.1:" + server.port(), "{}", CONNECT), h).request(Long.MAX_VALUE);

        assertThat(h.awaitFailure()).hasMessageContaining("403")
                .hasMessage("the proxy " + proxy.address().getHostString() + ":" + proxy.address().getPort()
                        + " refused the tunnel (HTTP 403)");
        assertThat(server.connections()).isZero();
    }

    @Test
    void aProxyThatCannotBeReachedIsNamedInsteadOfTheServer() throws Exception {
        HostileServer server = answering("never", null);
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        NettyTransport t = closing(NettyTransport.builder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", closed))).build());

        Throwable e = failure(client(t, server.baseUri().toString()));

        assertThat(e).hasMessage("the connection failed before the response: the proxy 127.0.0.1:" + closed
                + " could not be reached: the connection to 127.0.0.1:" + closed + " was refused");
        assertThat(server.connections()).isZero();
    }

    @Test
    void aProxyThatAsksForAuthenticationAnswersWithItsOwn407AndNoBody() throws Exception {
        HostileServer server = answering("never", null);
        TestProxy proxy = closing(TestProxy.refusing("407 Proxy Authentication Required"));
        NettyTransport t = closing(NettyTransport.builder().proxy(ProxySelector.of(proxy.address())).build());

        RecordingHandler h = new RecordingHandler();
        t.execute(NettyTransportFixture.post("http://127.0.0.1:" + server.port(), "{}", CONNECT), h).request(Long.MAX_VALUE);

        assertThat(h.status.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(407);
        assertThat(h.awaitCompletion()).isEmpty();
        assertThat(h.violations).isEmpty();
        assertThat(server.connections()).isZero();
        assertThat(t.poolStats().leased()).isZero();
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

    // ---- proxy authentication ------------------------------------------------------------------------

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
    }

    private HostileServer streaming(SSLContext tls) throws Exception {
        return closing(HostileServer.answering((req, c) -> {
            c.head(200, "Transfer-Encoding: chunked", "Content-Type: text/event-stream");
            c.chunk("start852{}end852经由代理undefined".getBytes(UTF_8));
            c.endChunks();
        }, tls));
    }

    private ChatClient client(NettyTransport transport, String baseUrl) {
        return closing(ChatClient.builder().transport(transport).baseUrl(baseUrl).token("sk-test-token").build());
    }

    private static Throwable failure(ChatClient client) {
        Throwable thrown = catchThrowable(() -> client.stream("hi").completion().get(10, TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        return thrown.getCause();
    }

    @Test
    void theCredentialsGoWithTheConnectOfAnHttpTunnelAndNotOnToTheServer() throws Exception {
        HostileServer server = streaming(null);
        TestProxy proxy = closing(TestProxy.requiring(USER, PASSWORD));
        NettyTransport t = closing(NettyTransport.builder().proxy(ProxySelector.of(proxy.address()))
                .proxyCredentials(USER, PASSWORD).build());

        String text = client(t, server.baseUri().toString()).stream("hi").completion().get(10, TimeUnit.SECONDS).text();

        assertThat(text).isEqualTo("经由代理");
        assertThat(proxy.requestLines()).containsExactly("CONNECT 127.0.0.1:" + server.port() + " HTTP/1.1");
        assertThat(proxy.authorizations()).containsExactly(BASIC);
        assertThat(server.takeRequest().headers()).doesNotContainKey("proxy-authorization");
    }

    @Test
    void theCredentialsOpenAnHttpsTunnelToo() throws Exception {
        TestCertificates certs = TestCertificates.generate(dir, "dns:localhost,ip:127.0.0.1");
        HostileServer server = streaming(certs.server);
        TestProxy proxy = closing(TestProxy.requiring(USER, PASSWORD));
        NettyTransport t = closing(NettyTransport.builder().proxy(ProxySelector.of(proxy.address()))
                .proxyCredentials(USER, PASSWORD)
                .sslContext(SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(certs.certificate).build())
                .build());

        String text = client(t, "https://127.0.0.1:" + server.port()).stream("hi").completion().get(10, TimeUnit.SECONDS).text();

        assertThat(text).isEqualTo("经由代理");
        assertThat(proxy.authorizations()).containsExactly(BASIC);
        assertThat(server.takeRequest().headers()).doesNotContainKey("proxy-authorization");
    }

    @Test
    void withoutCredentialsTheProxysRefusalIsA407ThatNamesProxyAuthentication() throws Exception {
        HostileServer server = streaming(null);
        TestProxy proxy = closing(TestProxy.requiring(USER, PASSWORD));
        NettyTransport t = closing(NettyTransport.builder().proxy(ProxySelector.of(proxy.address())).build());

        Throwable e = failure(client(t, server.baseUri().toString()));

        assertThat(e).isInstanceOfSatisfying(HttpStatusException.class, s -> assertThat(s.status()).isEqualTo(407))
                .hasMessageContaining("the proxy requires authentication");
        assertThat(proxy.authorizations()).containsExactly("");
        assertThat(server.connections()).isZero();
    }

    @Test
    void wrongCredentialsAreA407TooAndThePasswordIsNowhere() throws Exception {
        String wrong = "wrong-" + PASSWORD;
        HostileServer server = streaming(null);
        TestProxy proxy = closing(TestProxy.requiring(USER, PASSWORD));
        LogCapture logs = closing(LogCapture.start(Set.of("io.netty")));
        NettyTransport t = closing(NettyTransport.builder().proxy(ProxySelector.of(proxy.address()))
                .proxyCredentials(USER, wrong).build());
        ChatClient client = client(t, server.baseUri().toString());

        Throwable e = failure(client);

        assertThat(e).isInstanceOfSatisfying(HttpStatusException.class, s -> assertThat(s.status()).isEqualTo(407))
                .hasMessageContaining("proxy requires authentication");
        assertThat(proxy.authorizations()).containsExactly(basic(USER, wrong));
        String everything = LogCapture.stackTrace(e) + t + client + logs.entries();
        assertThat(everything).doesNotContain(wrong).doesNotContain(basic(USER, wrong).substring("Basic ".length()));
        assertThat(t.toString()).contains("proxy credentials set");
    }

    @Test
    void credentialsThatBasicAuthenticationCannotCarryAreRefusedAtOnce() {
        assertThatThrownBy(() -> NettyTransport.builder().proxyCredentials("a:b", "c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("':'");
    }
}
