package dev.chat852.transport.jdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpClientsTest {
    private final ExecutorService executor = DaemonThreads.newPool();
    private final HttpClients clients = new HttpClients(executor, null);

    @AfterEach
    void tearDown() {
        clients.close();
        executor.shutdown();
    }

    @Test
    void oneHttp11ClientPerConnectTimeoutWithThatTimeout() {
        HttpClient none = clients.get(Duration.ZERO);
        HttpClient short1 = clients.get(Duration.ofMillis(300));

        assertThat(clients.get(Duration.ofMillis(300))).isSameAs(short1);
        assertThat(clients.get(Duration.ZERO)).isSameAs(none);
        assertThat(none.connectTimeout()).isEmpty();
        assertThat(short1.connectTimeout()).hasValue(Duration.ofMillis(300));
        assertThat(short1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(short1.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
        assertThat(short1.executor()).hasValue(executor);
    }

    @Test
    void theCacheStopsGrowingAtItsBoundButEveryTimeoutStillGetsItsClient() {
        for (int i = 1; i <= HttpClients.MAX_CACHED + 5; i++) {
            Duration timeout = Duration.ofMillis(i);
            assertThat(clients.get(timeout).connectTimeout()).hasValue(timeout);
        }

        assertThat(clients.size()).isEqualTo(HttpClients.MAX_CACHED);
    }
}
