package dev.chat852.transport.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.ChatClient;
import dev.chat852.HttpStatusException;
import dev.chat852.TransportException;
import dev.chat852.protocol.ChatApi;
import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.Peer;
import dev.chat852.testkit.TestProxy;
import java.net.ProxySelector;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The proxy a {@link ProxySelector} names carries the call: http goes to it in absolute form. */
class JdkTransportProxyTest {

    @Test
    void anHttpCallGoesThroughTheSelectedProxy() throws Exception {
        byte[] body = "start852{}end852经由代理undefined".getBytes(StandardCharsets.UTF_8);
        try (HostileServer server = HostileServer.interactive();
             TestProxy proxy = TestProxy.open();
             JdkTransport transport = JdkTransport.builder().proxy(ProxySelector.of(proxy.address())).build();
             ChatClient client = ChatClient.builder().transport(transport).baseUrl(server.baseUri().toString())
                     .token(TestRequests.TOKEN).build()) {
            CompletableFuture<Peer.Request> received = TestRequests.answerOnce(server, body, body.length);

            String text = client.stream("hi").completion().get(10, TimeUnit.SECONDS).text();

            assertThat(text).isEqualTo("经由代理");
            assertThat(proxy.requestLines()).containsExactly("POST " + server.baseUri().toString() + ChatApi.PATH + " HTTP/1.1");
            assertThat(received.get(10, TimeUnit.SECONDS).line()).isEqualTo("POST " + ChatApi.PATH + " HTTP/1.1");
        }
    }

    @Test
    void aProxysRefusalArrivesAsItsStatus() throws Exception {
        try (HostileServer server = HostileServer.interactive();
             TestProxy proxy = TestProxy.refusing("403 Forbidden");
             JdkTransport transport = JdkTransport.builder().proxy(ProxySelector.of(proxy.address())).build();
             ChatClient client = ChatClient.builder().transport(transport).baseUrl(server.baseUri().toString())
                     .token(TestRequests.TOKEN).build()) {
            CompletableFuture<?> completion = client.stream("hi").completion();

            assertThatThrownBy(() -> completion.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(HttpStatusException.class, e -> assertThat(e.status()).isEqualTo(403));
        }
    }

    @Test
    void aProxyThatCannotBeReachedIsNamedInsteadOfTheServer() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (JdkTransport transport = JdkTransport.builder()
                     .proxy(ProxySelector.of(new java.net.InetSocketAddress("127.0.0.1", closed))).build();
             ChatClient client = ChatClient.builder().transport(transport).baseUrl("http://127.0.0.1:9")
                     .token(TestRequests.TOKEN).build()) {
            CompletableFuture<?> completion = client.stream("hi").completion();

            assertThatThrownBy(() -> completion.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(TransportException.class)
                    .hasMessage("the connection failed before the response: the proxy 127.0.0.1:" + closed
                            + " could not be reached: the connection to 127.0.0.1:" + closed + " was refused");
        }
    }

    @Test
    void aProxysRefusalOfATunnelSaysSoWithItsStatus() throws Exception {
        try (TestProxy proxy = TestProxy.refusing("403 Forbidden");
             JdkTransport transport = JdkTransport.builder().proxy(ProxySelector.of(proxy.address())).build();
             ChatClient client = ChatClient.builder().transport(transport).baseUrl("https://127.0.0.1:9")
                     .token(TestRequests.TOKEN).build()) {
            CompletableFuture<?> completion = client.stream("hi").completion();

            assertThatThrownBy(() -> completion.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(TransportException.class)
                    .hasMessage("the connection failed before the response: the proxy " + proxy.address().getHostString()
                            + ":" + proxy.address().getPort() + " refused the tunnel (HTTP 403)");
        }
    }
}
