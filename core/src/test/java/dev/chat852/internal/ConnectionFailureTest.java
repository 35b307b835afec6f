package dev.chat852.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.spi.ProxyConnectException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The same words for the same failure, however a transport wraps it. */
class ConnectionFailureTest {
    private static final URI TARGET = URI.create("https://chat.example.test/api/light/chat/createChatCompletion");

    private static <T extends Throwable> T causedBy(T outer, Throwable cause) {
        outer.initCause(cause);
        return outer;
    }

    @Test
    void anUnresolvableNameIsNamedAsSuchWhetherBareOrInsideAConnectException() {
        UnknownHostException netty = new UnknownHostException("chat.example.test: Name or service not known");
        ConnectException jdk = causedBy(new ConnectException(), new UnknownHostException("chat.example.test"));

        assertThat(ConnectionFailure.describe(netty, TARGET)).isEqualTo("the host name chat.example.test could not be"
                + " resolved");
        assertThat(ConnectionFailure.describe(new CompletionException(jdk), TARGET))
                .isEqualTo("the host name chat.example.test could not be resolved");
        assertThat(ConnectionFailure.describe(causedBy(new ConnectException(), new UnresolvedAddressException()), TARGET))
                .as("JDK 17's client, for a name that does not resolve").isEqualTo(ConnectionFailure.describe(netty, TARGET));
    }

    @Test
    void aTlsFailureAfterTheHandshakeIsNamedWithItsCause() {
        assertThat(ConnectionFailure.describe(new javax.net.ssl.SSLException("bad record MAC"), TARGET))
                .isEqualTo("TLS with chat.example.test:443 failed (SSLException: bad record MAC)");
    }

    @Test
    void anExplicitPortIsNamedEvenZero() {
        assertThat(ConnectionFailure.describe(new ConnectException("Connection refused"), URI.create("http://h:0/x")))
                .isEqualTo("the connection to h:0 was refused");
    }

    @Test
    void aRefusedConnectionNamesHostAndDefaultPort() {
        ConnectException refused = new ConnectException("Connection refused");
        ConnectException wrapped = causedBy(new ConnectException(), new IOException("finishConnect: Connection refused"));

        assertThat(ConnectionFailure.describe(refused, TARGET)).isEqualTo("the connection to chat.example.test:443 was refused");
        assertThat(ConnectionFailure.describe(wrapped, TARGET)).isEqualTo("the connection to chat.example.test:443 was refused");
        assertThat(ConnectionFailure.describe(new ConnectException("Network is unreachable"), URI.create("http://h/x")))
                .isEqualTo("could not connect to h:80 (ConnectException: Network is unreachable)");
    }

    @Test
    void tlsFailuresSayWhetherTheCertificateOrTheHandshakeFailed() {
        SSLHandshakeException certificate = causedBy(new SSLHandshakeException("PKIX path building failed"),
                new CertificateException("unable to find valid certification path"));

        assertThat(ConnectionFailure.describe(certificate, TARGET))
                .startsWith("the TLS certificate of chat.example.test:443 was not accepted (CertificateException");
        assertThat(ConnectionFailure.describe(new SSLHandshakeException("no cipher suites in common"), TARGET))
                .isEqualTo("the TLS handshake with chat.example.test:443 failed (SSLHandshakeException: no cipher suites"
                        + " in common)");
        assertThat(ConnectionFailure.describe(new NoRouteToHostException("No route to host"), TARGET))
                .isEqualTo("there is no route to chat.example.test:443");
    }

    @Test
    void anythingElseIsItsMostTellingExceptionAndTheFailureIsKeptAsTheCause() {
        IOException reset = new IOException("Connection reset by peer");
        CompletionException bare = new CompletionException(null, reset);

        assertThat(ConnectionFailure.describe(bare, TARGET)).isEqualTo("IOException: Connection reset by peer");
        assertThat(ConnectionFailure.of("after 12 bytes of the response", reset, TARGET))
                .hasMessage("the connection failed after 12 bytes of the response: IOException: Connection reset by peer")
                .hasCause(reset);
    }

    @Test
    void aFailureAtTheProxyNamesTheProxyNotTheServerItNeverReached() {
        InetSocketAddress proxy = InetSocketAddress.createUnresolved("proxy.corp", 3128);
        ProxyConnectException unreachable = new ProxyConnectException(proxy, null, new ConnectException("Connection refused"));
        ProxyConnectException refusing = new ProxyConnectException(proxy, "refused the tunnel (HTTP 403)",
                new IOException("Tunnel failed, got: 403"));

        assertThat(ConnectionFailure.describe(new CompletionException(unreachable), TARGET))
                .isEqualTo("the proxy proxy.corp:3128 could not be reached: the connection to proxy.corp:3128 was refused");
        assertThat(ConnectionFailure.describe(refusing, TARGET)).isEqualTo("the proxy proxy.corp:3128 refused the tunnel (HTTP 403)");
        assertThat(ConnectionFailure.of("before the response", refusing, TARGET)).hasCause(refusing)
                .hasMessageNotContaining("chat.example.test");
    }
}
