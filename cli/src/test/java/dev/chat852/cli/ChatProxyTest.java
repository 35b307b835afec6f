package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

import dev.chat852.mock.MockServer;
import dev.chat852.mock.MockServerTest;
import dev.chat852.protocol.ChatApi;
import dev.chat852.testkit.TestProxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code chat} through an HTTP proxy chosen as curl chooses it, on both transports: from the variables or
 * {@code --proxy}, bypassed by {@code NO_PROXY} or {@code --no-proxy}, with the credentials in its URL;
 * a proxy's 407 is exit 5 with a message naming proxy authentication; the password is never printed.
 */
@MockServerTest(demo = true, speed = 0)
@Timeout(value = 60, threadMode = SEPARATE_THREAD)
class ChatProxyTest {
    private static final String TOKEN = "sk-chat-proxy-test-token";
    private static final String USER = "alice";
    private static final String PASSWORD = "pr0xy-pa55word";

    private static Environment env(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        m.put(Environment.TOKEN_VARIABLE, TOKEN);
        return new Environment(m, false, false, Interrupts.NONE);
    }

    private static CliRun chat(Environment env, MockServer server, String transport, String... more) {
        List<String> args = new ArrayList<>(List.of("chat", "--base-url", server.baseUri().toString(), "--transport",
                transport));
        args.addAll(List.of(more));
        args.add("你好");
        return ChatCommandTest.checked(CliRun.run(env, "", args.toArray(String[]::new)), TOKEN, PASSWORD);
    }

    private static String url(TestProxy proxy, String password) {
        return "http://" + USER + ":" + password + "@127.0.0.1:" + proxy.address().getPort();
    }

    private static String expectedRequestLine(String transport, MockServer server) {
        return transport.equals("netty") ? "CONNECT 127.0.0.1:" + server.baseUri().getPort() + " HTTP/1.1"
                : "POST " + server.baseUri() + ChatApi.PATH + " HTTP/1.1";
    }

    @ParameterizedTest(name = "--transport {0}")
    @ValueSource(strings = {"jdk", "netty"})
    void theHttpProxyVariableWithCredentialsCarriesTheCall(String transport, MockServer server) throws Exception {
        try (TestProxy proxy = TestProxy.requiring(USER, PASSWORD)) {
            CliRun run = chat(env("http_proxy", url(proxy, PASSWORD)), server, transport);

            assertThat(run.exit()).isZero();
            assertThat(run.stdout()).isEqualTo(Demo.ZH);
            assertThat(proxy.requestLines()).containsExactly(expectedRequestLine(transport, server));
            assertThat(proxy.authorizations()).containsExactly("Basic " + Base64.getEncoder()
                    .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
    }

    @ParameterizedTest(name = "--transport {0}")
    @ValueSource(strings = {"jdk", "netty"})
    void wrongCredentialsExitFiveNamingProxyAuthenticationWithoutThePassword(String transport, MockServer server)
            throws Exception {
        try (TestProxy proxy = TestProxy.requiring(USER, "the-right-one")) {
            CliRun run = chat(env("http_proxy", "http://127.0.0.1:1"), server, transport, "--proxy", url(proxy, PASSWORD));

            assertThat(run.exit()).isEqualTo(ExitCodes.IO);
            assertThat(run.stdout()).isEmpty();
            assertThat(run.stderr()).startsWith("chat852 chat: the proxy requires authentication (HTTP 407 Proxy"
                    + " Authentication Required)").hasLineCount(1);
            assertThat(server.requests()).isEmpty();
        }
    }

    @ParameterizedTest(name = "--transport {0}")
    @ValueSource(strings = {"jdk", "netty"})
    void aProxyThatWantsCredentialsAndGetsNoneIsExitFiveToo(String transport, MockServer server) throws Exception {
        try (TestProxy proxy = TestProxy.requiring(USER, PASSWORD)) {
            CliRun run = chat(env(), server, transport, "--proxy", "127.0.0.1:" + proxy.address().getPort());

            assertThat(run.exit()).isEqualTo(ExitCodes.IO);
            assertThat(run.stderr()).contains("the proxy requires authentication");
            assertThat(proxy.authorizations()).containsExactly("");
        }
    }

    @ParameterizedTest(name = "--transport {0}")
    @ValueSource(strings = {"jdk", "netty"})
    void hostsOnTheNoProxyListGoDirectly(String transport, MockServer server) throws Exception {
        try (TestProxy proxy = TestProxy.requiring(USER, PASSWORD)) {
            String viaProxy = url(proxy, PASSWORD);
            String port = String.valueOf(server.baseUri().getPort());

            assertThat(chat(env("http_proxy", viaProxy, "NO_PROXY", "localhost, 127.0.0.1"), server, transport).exit()).isZero();
            assertThat(chat(env("http_proxy", viaProxy, "no_proxy", "127.0.0.1:" + port), server, transport).exit()).isZero();
            assertThat(chat(env(), server, transport, "--proxy", viaProxy, "--no-proxy", "*").exit()).isZero();
            assertThat(chat(env("http_proxy", viaProxy), server, transport, "--proxy", "").exit()).isZero();
            assertThat(proxy.requestLines()).isEmpty();

            assertThat(chat(env("http_proxy", viaProxy, "NO_PROXY", "127.0.0.1"), server, transport, "--no-proxy",
                    "localhost").exit()).as("--no-proxy replaces NO_PROXY").isZero();
            assertThat(proxy.requestLines()).hasSize(1);
        }
    }

    @ParameterizedTest(name = "--transport {0}")
    @ValueSource(strings = {"jdk", "netty"})
    void aProxyThatIsDownIsNamedInTheMessageNotTheServer(String transport, MockServer server) throws Exception {
        int closed = ChatCommandTest.closedPort();

        CliRun run = chat(env("http_proxy", "http://" + USER + ":" + PASSWORD + "@127.0.0.1:" + closed), server, transport);

        assertThat(run.exit()).isEqualTo(ExitCodes.IO);
        assertThat(run.stderr()).startsWith("chat852 chat: the connection failed before the response: the proxy 127.0.0.1:"
                + closed + " could not be reached: the connection to 127.0.0.1:" + closed + " was refused (");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void offlineIgnoresTheProxyVariablesAndRefusesTheProxyOption() throws Exception {
        try (TestProxy proxy = TestProxy.requiring(USER, PASSWORD)) {
            Environment env = env("http_proxy", url(proxy, PASSWORD), "https_proxy", url(proxy, PASSWORD));

            CliRun offline = ChatCommandTest.checked(CliRun.run(env, "", "chat", "--offline", "--speed", "0", "你好"), PASSWORD);
            CliRun refused = CliRun.run(env, "", "chat", "--offline", "--proxy", url(proxy, PASSWORD), "你好");

            assertThat(offline.exit()).isZero();
            assertThat(offline.stdout()).isEqualTo(Demo.ZH);
            assertThat(proxy.requestLines()).isEmpty();
            assertThat(refused.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.stderr()).startsWith("chat852 chat: --proxy cannot be used with --offline")
                    .doesNotContain(PASSWORD);
        }
    }

    @Test
    void aBadProxyVariableIsAUsageErrorNamingItWithoutThePassword(MockServer server) {
        CliRun run = chat(env("http_proxy", "socks5://" + USER + ":" + PASSWORD + "@127.0.0.1:1080"), server, "jdk");

        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).startsWith("chat852 chat: Invalid value for environment variable http_proxy:"
                + " 'socks5://[credentials]@127.0.0.1:1080': SOCKS proxies are not supported");
        assertThat(server.requests()).isEmpty();
    }
}
