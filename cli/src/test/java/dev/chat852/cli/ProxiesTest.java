package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which proxy a URL goes through, from the variables and options, as curl chooses it. */
class ProxiesTest {
    private static final URI HTTPS = URI.create("https://chat.example.com/api");
    private static final URI HTTP = URI.create("http://chat.example.com/api");

    private static Map<String, String> vars(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static String proxy(Map<String, String> variables, String option, String noProxy, URI target) {
        Proxies.Endpoint e = Proxies.of(variables, option, noProxy).proxyFor(target);
        return e == null ? "direct" : e.host() + ":" + e.port();
    }

    @Test
    void httpsUsesHttpsProxyLowerCaseFirstThenAllProxy() {
        assertThat(proxy(vars("https_proxy", "a:1", "HTTPS_PROXY", "b:2", "ALL_PROXY", "c:3"), null, null, HTTPS)).isEqualTo("a:1");
        assertThat(proxy(vars("HTTPS_PROXY", "b:2", "ALL_PROXY", "c:3"), null, null, HTTPS)).isEqualTo("b:2");
        assertThat(proxy(vars("all_proxy", "d:4", "ALL_PROXY", "c:3"), null, null, HTTPS)).isEqualTo("d:4");
        assertThat(proxy(vars("ALL_PROXY", "c:3", "http_proxy", "e:5"), null, null, HTTPS)).isEqualTo("c:3");
        assertThat(proxy(vars("http_proxy", "e:5"), null, null, HTTPS)).isEqualTo("direct");
    }

    @Test
    void httpUsesLowerCaseHttpProxyOnlyAsCurlDoes() {
        assertThat(proxy(vars("http_proxy", "e:5", "ALL_PROXY", "c:3"), null, null, HTTP)).isEqualTo("e:5");
        assertThat(proxy(vars("HTTP_PROXY", "f:6"), null, null, HTTP)).as("HTTP_PROXY can be set by a CGI request").isEqualTo("direct");
        assertThat(proxy(vars("HTTP_PROXY", "f:6", "ALL_PROXY", "c:3"), null, null, HTTP)).isEqualTo("c:3");
        assertThat(proxy(vars("https_proxy", "a:1"), null, null, HTTP)).isEqualTo("direct");
    }

    @Test
    void aVariableSetToNothingMeansNoProxyAndStopsTheSearch() {
        assertThat(proxy(vars("https_proxy", "", "HTTPS_PROXY", "b:2", "ALL_PROXY", "c:3"), null, null, HTTPS)).isEqualTo("direct");
    }

    @Test
    void theProxyOptionWinsOverTheVariablesAndAnEmptyOneMeansNone() {
        Map<String, String> v = vars("https_proxy", "a:1", "ALL_PROXY", "c:3");
        assertThat(proxy(v, "http://opt:7", null, HTTPS)).isEqualTo("opt:7");
        assertThat(proxy(v, "", null, HTTPS)).isEqualTo("direct");
    }

    @Test
    void noProxyAppliesToTheOptionTooAndTheNoProxyOptionReplacesTheVariable() {
        Map<String, String> v = vars("https_proxy", "a:1", "no_proxy", "example.com", "NO_PROXY", "other.org");
        assertThat(proxy(v, null, null, HTTPS)).as("no_proxy wins over NO_PROXY").isEqualTo("direct");
        assertThat(proxy(v, "opt:7", null, HTTPS)).as("curl: NO_PROXY applies even to -x").isEqualTo("direct");
        assertThat(proxy(v, null, "other.org", HTTPS)).isEqualTo("a:1");
        assertThat(proxy(v, null, "", HTTPS)).as("an empty --no-proxy lifts the variable's list").isEqualTo("a:1");
        assertThat(proxy(vars("https_proxy", "a:1", "NO_PROXY", "*"), null, null, HTTPS)).isEqualTo("direct");
        assertThat(proxy(vars("https_proxy", "a:1"), null, "*", HTTPS)).isEqualTo("direct");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "proxy.corp                         | proxy.corp | 1080 | |",
        "http://proxy.corp                  | proxy.corp | 1080 | |",
        "HTTP://proxy.corp:3128/            | proxy.corp | 3128 | |",
        "http://alice:s3cret@proxy.corp:3128 | proxy.corp | 3128 | alice | s3cret",
        "http://alice@proxy.corp:3128       | proxy.corp | 3128 | alice | ''",
        "http://al%40ce:p%40ss%3Aw%25rd@proxy.corp:8080 | proxy.corp | 8080 | al@ce | p@ss:w%rd",
        "http://bob:p@ss@proxy.corp:8080    | proxy.corp | 8080 | bob | p@ss",
        "http://u:%E5%AF%86@[::1]:3128      | ::1        | 3128 | u | 密",
    })
    void aProxyUrlGivesHostPortAndPercentDecodedCredentials(String url, String host, int port, String user, String password) {
        Proxies.Endpoint e = Proxies.parse(url, "option '--proxy'");

        assertThat(e.host()).isEqualTo(host);
        assertThat(e.port()).isEqualTo(port);
        if (user == null) {
            assertThat(e.credentials()).isNull();
        } else {
            assertThat(e.credentials().username()).isEqualTo(user);
            assertThat(e.credentials().password()).isEqualTo(password);
            assertThat(e.toString()).doesNotContain(password.isEmpty() ? "\u0000" : password);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "socks5://u:hunter22@h:1080    | SOCKS proxies are not supported",
        "https://u:hunter22@h:443      | over TLS (https://) is not supported",
        "ftp://h:21                    | unknown scheme 'ftp'",
        "http://u:hunter22@h:0         | the port is not a number from 1 to 65535",
        "http://u:hunter22@h:http      | the port is not a number from 1 to 65535",
        "http://u:hunter22@:3128       | no host",
        "http://u%3Ax:hunter22@h:3128  | cannot contain ':'",
        "http://u:hunter22%zz@h:3128   | not followed by two hexadecimal digits",
    })
    void aBadProxyUrlIsRefusedNamingWhereItCameFromButNotItsPassword(String url, String why) {
        Map<String, String> v = vars("HTTPS_PROXY", url);

        assertThatThrownBy(() -> Proxies.of(v, null, null).proxyFor(HTTPS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid value for environment variable HTTPS_PROXY: '")
                .hasMessageContaining(why)
                .hasMessageNotContaining("hunter22");
    }

    @Test
    void theSelectorAnswersEveryUrlWithItsProxyUnresolved() {
        Proxies proxies = Proxies.of(vars("https_proxy", "proxy.corp:3128", "no_proxy", "internal.corp"), null, null);

        List<Proxy> chosen = proxies.selector().select(HTTPS);
        assertThat(chosen).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo(Proxy.Type.HTTP);
            assertThat(p.address()).isEqualTo(InetSocketAddress.createUnresolved("proxy.corp", 3128));
        });
        assertThat(proxies.selector().select(URI.create("https://api.internal.corp/"))).containsExactly(Proxy.NO_PROXY);
    }

    @Test
    void thePasswordsToKeepOutOfMessagesAreFoundInVariablesAndOptionsAsWrittenAndDecoded() {
        Map<String, String> v = vars("https_proxy", "http://a:env%21pass@h:1", "ALL_PROXY", "b:all-pass@h:2",
                "HTTP_PROXY", "http://c:ignored-pass@h:3");

        List<String> found = Proxies.passwords(v, new String[] {"chat", "--proxy", "http://d:opt-pass@h:4",
            "--proxy=http://e:eq-pass@h:5", "--proxy", "http://nopass@h:6"});

        assertThat(found).contains("env%21pass", "env!pass", "all-pass", "opt-pass", "eq-pass")
                .doesNotContain("ignored-pass", "");
    }
}
