package dev.chat852;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.spi.ProxyCredentials;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the builder refuses, reads from the environment, and sends with every request. */
class ClientSettingsTest {
    private final FakeTransport transport = new FakeTransport();

    @Test
    void thePublicServiceWithoutATokenIsRefusedAtBuildSayingHowToGiveOne() {
        assertThatThrownBy(() -> ChatClient.builder().transport(transport).token(null).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no API token for https://chat.xutongbao.top: give it with token(...), or set CHAT852_TOKEN"
                        + " and use fromEnv() (a local server such as the mock, at another baseUrl, may need none)");
        assertThatThrownBy(() -> ChatClient.builder().transport(transport).baseUrl("https://chat.xutongbao.top/").build())
                .isInstanceOf(IllegalStateException.class);
        ChatClient.builder().transport(transport).baseUrl("http://127.0.0.1:8520").build().close();
    }

    @Test
    void aBaseUrlWithoutSchemeIsRefusedWithTheUrlItProbablyMeant() {
        assertThatThrownBy(() -> ChatClient.builder().transport(transport).baseUrl("127.0.0.1:8520").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl must start with http:// or https://, such as http://127.0.0.1:8520; was 127.0.0.1:8520");
    }

    @Test
    void fromEnvReadsTokenBaseUrlAndModelAndLaterSettingsWin() {
        Map<String, String> env = Map.of("CHAT852_TOKEN", "sk-env", "CHAT852_BASE_URL", "http://127.0.0.1:9",
                "CHAT852_MODEL", "gpt-4");
        try (ChatClient client = ChatClient.builder().transport(transport).fromEnv(env::get).build()) {
            client.stream("hi");
            assertThat(client.endpoint()).hasToString("http://127.0.0.1:9/api/light/chat/createChatCompletion");
            assertThat(transport.last().body()).contains("\"model\":\"gpt-4\"", "\"token\":\"sk-env\"");
        }
        try (ChatClient client = ChatClient.builder().transport(transport).fromEnv(env::get).model("gpt-3.5-turbo-16k")
                .build()) {
            client.stream("hi");
            assertThat(transport.last().body()).contains("\"model\":\"gpt-3.5-turbo-16k\"");
        }
        assertThatThrownBy(() -> ChatClient.builder().transport(transport).fromEnv(Map.of("CHAT852_TOKEN", "")::get)
                .build()).as("an empty token is none").hasMessageStartingWith("no API token");
    }

    @Test
    void everyRequestNamesTheLibraryAndCarriesTheClientsHeaders() {
        try (ChatClient client = ChatClient.builder().transport(transport).baseUrl("http://127.0.0.1:9")
                .header("X-Trace", "abc").header("accept", "text/plain").build()) {
            client.stream("hi");
            Map<String, String> headers = transport.last().request.headers();

            assertThat(headers.get("User-Agent")).matches("chat852/[0-9][^ ]* \\(Java [^;]+; fake\\)");
            assertThat(headers).containsEntry("X-Trace", "abc").containsEntry("Content-Type", "application/json")
                    .containsEntry("accept", "text/plain").doesNotContainKey("Accept");
        }
        try (ChatClient client = ChatClient.builder().transport(transport).baseUrl("http://127.0.0.1:9")
                .header("User-Agent", "mine/1").build()) {
            client.stream("hi");
            assertThat(transport.last().request.headers()).containsEntry("User-Agent", "mine/1");
        }
    }

    @Test
    void headersThatCouldBreakTheRequestAreRefusedNamingTheProblem() {
        ChatClient.Builder b = ChatClient.builder();
        assertThatThrownBy(() -> b.header("X-Bad", "a\r\nInjected: yes")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("X-Bad").hasMessageContaining("line breaks");
        assertThatThrownBy(() -> b.header("Bad Name", "v")).hasMessageContaining("\"Bad Name\"");
        assertThatThrownBy(() -> b.header("Content-Length", "3")).hasMessageContaining("set by the transport");
        assertThatThrownBy(() -> b.header("host", "x")).hasMessageContaining("set by the transport");
        assertThatThrownBy(() -> b.header("X-Null", null)).hasMessageContaining("X-Null");
    }

    @Test
    void proxyAuthorizationIsRefusedAsAHeaderAndTheMessageSaysWhereCredentialsGo() {
        assertThatThrownBy(() -> ChatClient.builder().header("Proxy-Authorization", "Basic c2VjcmV0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("proxyCredentials").hasMessageNotContaining("c2VjcmV0");
    }

    @Test
    void aProxysAuthenticationStatusSaysSoInItsMessage() {
        assertThat(new HttpStatusException(407, "")).hasMessageStartingWith("the proxy requires authentication (HTTP 407");
        assertThat(new HttpStatusException(502, "bad gateway")).hasMessage("the server answered HTTP 502: bad gateway");
    }

    @Test
    void proxyCredentialsKeepThePasswordOutOfToStringAndGiveTheBasicHeader() {
        ProxyCredentials c = ProxyCredentials.of("alice", "s3cret");

        assertThat(c.toString()).contains("alice").doesNotContain("s3cret");
        assertThat(c.basicAuthorization()).isEqualTo("Basic YWxpY2U6czNjcmV0");
        assertThatThrownBy(() -> ProxyCredentials.of("a:b", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyCredentials.of("a", "x\ny")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("x\ny");
    }
}
