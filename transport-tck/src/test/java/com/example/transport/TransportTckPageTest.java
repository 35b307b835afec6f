package com.example.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/transport-tck.md shows the worked example's code: the page's Java blocks are these test sources,
 * character for character, so what the page shows is what compiles and passes the kit here.
 */
class TransportTckPageTest {
    private static final Path ROOT = Path.of(System.getProperty("chat852.repoRoot", "..")).toAbsolutePath().normalize();
    private static final Path SOURCES = ROOT.resolve("transport-tck/src/test/java/com/example/transport");

    private static List<String> javaBlocks() throws Exception {
        String page = Files.readString(ROOT.resolve("docs/transport-tck.md"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(page);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void thePageShowsTheExampleTransportAsItCompiles() throws Exception {
        assertThat(javaBlocks()).contains(Files.readString(SOURCES.resolve("SocketTransport.java")));
    }

    @Test
    void thePageShowsTheTestThatRunsTheKitOnIt() throws Exception {
        assertThat(javaBlocks()).contains(Files.readString(SOURCES.resolve("SocketTransportTckTest.java")));
    }
}
