package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code NO_PROXY} rules, as curl's {@code lib/noproxy.c} applies them, plus ports. */
class NoProxyTest {

    @ParameterizedTest(name = "NO_PROXY=\"{0}\", {1}:{2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        // * alone matches everything; inside a list it is just a name that matches nothing
        "*                      | example.com       | 443  | true",
        "' * '                  | 10.1.2.3          | 80   | true",
        "a.com,*                | example.com       | 443  | false",
        // a name matches itself and the names below it, with or without a leading dot, ignoring case
        "example.com            | example.com       | 443  | true",
        "example.com            | api.example.com   | 443  | true",
        "example.com            | a.b.example.com   | 443  | true",
        ".example.com           | example.com       | 443  | true",
        ".example.com           | api.example.com   | 443  | true",
        "EXAMPLE.com            | Api.Example.COM   | 443  | true",
        "example.com            | notexample.com    | 443  | false",
        "example.com            | example.com.evil  | 443  | false",
        "api.example.com        | example.com       | 443  | false",
        "example.com.           | example.com       | 443  | true",
        "example.com            | example.com.      | 443  | true",
        // lists: commas and blanks separate entries
        "a.com, b.com           | b.com             | 80   | true",
        "'a.com b.com'          | b.com             | 80   | true",
        "a.com,,b.com,          | b.com             | 80   | true",
        "a.com,b.com            | c.com             | 80   | false",
        "''                     | example.com       | 80   | false",
        // localhost and 127.0.0.1 are not special, and nothing is resolved
        "example.com            | localhost         | 80   | false",
        "example.com            | 127.0.0.1         | 80   | false",
        "localhost              | localhost         | 8520 | true",
        "localhost              | 127.0.0.1         | 8520 | false",
        "127.0.0.1              | localhost         | 8520 | false",
        "127.0.0.1              | 127.0.0.1         | 8520 | true",
        // IP addresses: exact, or a CIDR range; /0 is the whole address, as in curl
        "127.0.0.1              | 127.0.0.2         | 80   | false",
        "127.0.0.0/8            | 127.9.8.7         | 80   | true",
        "10.0.0.0/8             | 11.0.0.1          | 80   | false",
        "192.168.0.0/16         | 192.168.200.1     | 80   | true",
        "192.168.0.0/17         | 192.168.200.1     | 80   | false",
        "192.168.1.1/0          | 192.168.1.1       | 80   | true",
        "192.168.1.1/0          | 192.168.1.2       | 80   | false",
        "192.168.1.1/33         | 192.168.1.1       | 80   | false",
        "::1                    | [::1]             | 80   | true",
        "::1                    | ::1               | 80   | true",
        "fe80::/10              | [fe80::1234]      | 80   | true",
        "fe80::/10              | [fec0::1]         | 80   | false",
        "10.0.0.0/8             | ten.example       | 80   | false",
        // HOST:PORT entries match that port only (curl never matches them)
        "example.com:8080       | example.com       | 8080 | true",
        "example.com:8080       | example.com       | 443  | false",
        "example.com:8080       | api.example.com   | 8080 | true",
        "127.0.0.1:8520         | 127.0.0.1         | 8520 | true",
        "127.0.0.1:8520         | 127.0.0.1         | 8521 | false",
        "[::1]:8520             | [::1]             | 8520 | true",
        "[::1]:8520             | [::1]             | 80   | false",
        "example.com:http       | example.com       | 80   | false",
    })
    void aHostOnTheListGoesDirectly(String list, String host, int port, boolean direct) {
        assertThat(NoProxy.parse(list).matches(host, port)).isEqualTo(direct);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"http://example.com/x, true", "https://example.com, false", "https://example.com:80, true",
        "http://[::1]:80/, true"})
    void aUrlsPortIsItsOwnOrTheSchemesDefault(String url, boolean direct) {
        assertThat(NoProxy.parse("example.com:80,[::1]:80").matches(URI.create(url))).isEqualTo(direct);
    }

    @ParameterizedTest
    @CsvSource({"example.com"})
    void noListSendsEverythingThroughTheProxy(String host) {
        assertThat(NoProxy.parse(null).matches(host, 443)).isFalse();
    }
}
