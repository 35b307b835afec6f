package dev.chat852.transport.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.chat852.ChatClient;
import dev.chat852.HttpStatusException;
import dev.chat852.TransportException;
import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.LogCapture;
import dev.chat852.testkit.Peer;
import dev.chat852.testkit.TestProxy;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Proxy credentials on the JDK transport, in a JVM with the JDK's defaults: sent to the proxy with an
 * http request, never to a server reached directly; a proxy's 407 is a status that names proxy
 * authentication; for https the JDK's refusal of Basic in tunnels is reported before anything is sent.
 * (With Basic allowed for tunnels: {@link JdkBasicTunnelingTest}, run in a JVM of its own.)
 */
class JdkTransportProxyAuthTest {
    static final String USER = "alice";
    static final String PASSWORD = "pa55-w0rd-секрет";
    static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(
            (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    private static final byte[] BODY = "start852{}end852经由代理undefined".getBytes(StandardCharsets.UTF_8);

    static ChatClient client(JdkTransport transport, String baseUrl) {
        return ChatClient.builder().transport(transport).baseUrl(baseUrl).token(TestRequests.TOKEN).build();
    }

    @Test
    void theCredentialsGoToTheProxyWithAnHttpRequestAndNotOnToTheServer() throws Exception {
        try (HostileServer server = HostileServer.interactive();
             TestProxy proxy = TestProxy.requiring(USER, PASSWORD);
             JdkTransport transport = JdkTransport.builder().proxy(ProxySelector.of(proxy.address()))
                     .proxyCredentials(USER, PASSWORD).build();
             ChatClient client = client(transport, server.baseUri().toString())) {
            CompletableFuture<Peer.Request> received = TestRequests.answerOnce(server, BODY, 5);

            String text = client.stream("hi").completion().get(10, TimeUnit.SECONDS).text();

            assertThat(text).isEqualTo("经由代理");
            assertThat(proxy.authorizations()).containsExactly(BASIC);
            assertThat(received.get(10, TimeUnit.SECONDS).headers()).doesNotContainKey("proxy-authorization");
        }
    }

    @Test
    void withoutCredentialsTheProxysRefusalIsA407ThatNamesProxyAuthentication() throws Exception {
        try (HostileServer server = HostileServer.interactive();
             TestProxy proxy = TestProxy.requiring(USER, PASSWORD);
             JdkTransport transport = JdkTransport.builder().proxy(ProxySelector.of(proxy.address())).build();
             ChatClient client = client(transport, server.baseUri().toString())) {
            Throwable e = failure(client);

            assertThat(e).isInstanceOfSatisfying(HttpStatusException.class, s -> assertThat(s.status()).isEqualTo(407))
                    .hasMessageContaining("the proxy requires authentication");
            assertThat(proxy.authorizations()).containsExactly("");
            assertThat(server.acceptNow()).isNull();
        }
    }

    @Test
    void wrongCredentialsAreA407TooAndThePasswordIsNowhere() throws Exception {
        String wrong = "wrong-" + PASSWORD;
        try (LogCapture logs = LogCapture.start(Set.of("jdk.internal.httpclient"));
             HostileServer server = HostileServer.interactive();
             TestProxy proxy = TestProxy.requiring(USER, PASSWORD);
             JdkTransport transport = JdkTransport.builder().proxy(ProxySelector.of(proxy.address()))
                     .proxyCredentials(USER, wrong).build();
             ChatClient client = client(transport, server.baseUri().toString())) {
            Throwable e = failure(client);

            assertThat(e).isInstanceOfSatisfying(HttpStatusException.class, s -> assertThat(s.status()).isEqualTo(407))
                    .hasMessageContaining("proxy requires authentication");
            String basicWrong = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + wrong).getBytes(StandardCharsets.UTF_8));
            assertThat(proxy.authorizations()).containsExactly(basicWrong);
            String everything = LogCapture.stackTrace(e) + transport + client + logs.entries();
            assertThat(everything).doesNotContain(wrong).doesNotContain(basicWrong.substring("Basic ".length()));
            assertThat(transport.toString()).contains("proxy credentials set");
        }
    }

    @Test
    void aServerReachedDirectlyNeverSeesTheCredentials() throws Exception {
        try (HostileServer server = HostileServer.interactive();
             TestProxy proxy = TestProxy.requiring(USER, PASSWORD);
             JdkTransport transport = JdkTransport.builder().proxy(direct())
                     .proxyCredentials(USER, PASSWORD).build();
             ChatClient client = client(transport, server.baseUri().toString())) {
            CompletableFuture<Peer.Request> received = TestRequests.answerOnce(server, BODY, BODY.length);

            assertThat(client.stream("hi").completion().get(10, TimeUnit.SECONDS).text()).isEqualTo("经由代理");
            assertThat(received.get(10, TimeUnit.SECONDS).headers()).doesNotContainKey("proxy-authorization");
            assertThat(proxy.requestLines()).isEmpty();
        }
    }

    @Test
    void httpsThroughAProxyWithCredentialsFailsAtOnceSayingThatJavaDisablesBasicForTunnels() throws Exception {
        assertThat(System.getProperty("jdk.http.auth.tunneling.disabledSchemes"))
                .as("this test needs the JDK's default (Basic disabled for tunnels)").isNull();
        try (TestProxy proxy = TestProxy.requiring(USER, PASSWORD);
             JdkTransport transport = JdkTransport.builder().proxy(ProxySelector.of(proxy.address()))
                     .proxyCredentials(USER, PASSWORD).build();
             ChatClient client = client(transport, "https://127.0.0.1:9")) {
            Throwable e = failure(client);

            assertThat(e).isInstanceOf(TransportException.class)
                    .hasMessageContaining("CONNECT tunnel")
                    .hasMessageContaining("-Djdk.http.auth.tunneling.disabledSchemes=")
                    .hasMessageContaining("Netty transport")
                    .hasMessageNotContaining(PASSWORD);
            assertThat(proxy.requestLines()).isEmpty();
        }
    }

    @Test
    void httpsThroughAProxyThatWantsCredentialsWithoutThemIsA407() throws Exception {
        try (TestProxy proxy = TestProxy.requiring(USER, PASSWORD);
             JdkTransport transport = JdkTransport.builder().proxy(ProxySelector.of(proxy.address())).build();
             ChatClient client = client(transport, "https://127.0.0.1:9")) {
            Throwable e = failure(client);

            assertThat(e).isInstanceOfSatisfying(HttpStatusException.class, s -> assertThat(s.status()).isEqualTo(407));
            assertThat(proxy.requestLines()).containsExactly("CONNECT 127.0.0.1:9 HTTP/1.1");
        }
    }

    @Test
    void credentialsThatBasicAuthenticationCannotCarryAreRefusedAtOnce() {
        assertThatThrownBy(() -> JdkTransport.builder().proxyCredentials("a:b", "c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("':'");
        assertThatThrownBy(() -> JdkTransport.builder().proxyCredentials("a", "line\r\nbreak"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("line");
    }

    /** The failure of one call, as the future reports it. */
    static Throwable failure(ChatClient client) {
        Throwable thrown = catchThrowable(() -> client.stream("hi").completion().get(10, TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        return thrown.getCause();
    }

    private static ProxySelector direct() {
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
                // nothing to remember
            }
        };
    }
}
