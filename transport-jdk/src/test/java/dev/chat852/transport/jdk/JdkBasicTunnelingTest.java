package dev.chat852.transport.jdk;

import static dev.chat852.transport.jdk.JdkTransportProxyAuthTest.BASIC;
import static dev.chat852.transport.jdk.JdkTransportProxyAuthTest.PASSWORD;
import static dev.chat852.transport.jdk.JdkTransportProxyAuthTest.USER;
import static dev.chat852.transport.jdk.JdkTransportProxyAuthTest.client;
import static dev.chat852.transport.jdk.JdkTransportProxyAuthTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatClient;
import dev.chat852.HttpStatusException;
import dev.chat852.TransportException;
import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.TestProxy;
import java.net.ProxySelector;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proxy credentials for https servers, in a JVM started with {@code -Djdk.http.auth.tunneling.disabledSchemes=}
 * (the surefire execution {@code basic-tunneling} in this module's POM): the JDK then sends them with the
 * {@code CONNECT}. The server at the end is a TCP port that hangs up, so the call ends in a TLS failure,
 * which shows that the proxy let the tunnel through; a proxy's 407 stays a status.
 */
class JdkBasicTunnelingTest {

    @BeforeAll
    static void basicIsAllowedForTunnelsInThisJvm() {
        assertThat(System.getProperty("jdk.http.auth.tunneling.disabledSchemes"))
                .as("run by the basic-tunneling execution, with the property empty from the JVM's start").isEmpty();
    }

    @Test
    void theCredentialsGoWithTheConnectAndTheProxyOpensTheTunnel() throws Exception {
        try (HostileServer server = HostileServer.interactive();
             TestProxy proxy = TestProxy.requiring(USER, PASSWORD);
             JdkTransport transport = JdkTransport.builder().proxy(ProxySelector.of(proxy.address()))
                     .proxyCredentials(USER, PASSWORD).build();
             ChatClient client = client(transport, server.baseUri().toString().replace("http:", "https:"))) {
            CompletableFuture<Void> hangUp = CompletableFuture.runAsync(() -> {
                try {
                    server.accept().close(); // the tunnel reached the server: it ends the TLS handshake
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            Throwable e = failure(client);

            hangUp.join();
            assertThat(proxy.requestLines()).singleElement().asString().startsWith("CONNECT 127.0.0.1:");
            assertThat(proxy.authorizations()).containsExactly(BASIC);
            assertThat(e).isInstanceOf(TransportException.class).hasMessageContaining("TLS")
                    .hasMessageNotContaining(PASSWORD);
        }
    }

    @Test
    void wrongCredentialsForATunnelAreA407() throws Exception {
        try (TestProxy proxy = TestProxy.requiring(USER, PASSWORD);
             JdkTransport transport = JdkTransport.builder().proxy(ProxySelector.of(proxy.address()))
                     .proxyCredentials(USER, "not-" + PASSWORD).build();
             ChatClient client = client(transport, "https://127.0.0.1:9")) {
            Throwable e = failure(client);

            assertThat(e).isInstanceOfSatisfying(HttpStatusException.class, s -> assertThat(s.status()).isEqualTo(407))
                    .hasMessageContaining("proxy requires authentication").hasMessageNotContaining(PASSWORD);
        }
    }
}
