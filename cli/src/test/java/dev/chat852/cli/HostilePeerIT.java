package dev.chat852.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.testkit.HostileServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hostile-peer cases that are about a whole process's memory: the shaded jar under a small heap
 * against an endless answer. Neither a chat nor the recorder may hang, ignore SIGTERM or need kill -9.
 */
@Timeout(180)
class HostilePeerIT {
    private static final byte[] PIECE = "没完没了的回答 endless answer ".repeat(300).getBytes(UTF_8);

    @BeforeAll
    static void jarWasBuilt() {
        assertThat(Samples.REPO_ROOT.resolve(Jar.PATH)).as("the shaded jar (built by package)").isRegularFile();
    }

    /**
     * Failure 5: at -Xmx64m an endless answer runs the client out of memory near its 16 MiB bound, or
     * reaches the bound. Either way the call ends at once; before, the JDK transport swallowed the
     * OutOfMemoryError and the command waited for its 60 s idle timeout (or for ever, at smaller heaps).
     */
    @ParameterizedTest(name = "--transport {0}")
    @ValueSource(strings = {"jdk", "netty"})
    void anEndlessAnswerUnderASmallHeapEndsTheCommandPromptly(String transport) throws Exception {
        try (HostileServer server = HostileServer.start(peer -> {
                peer.head(200, "Content-Type: text/event-stream", "Transfer-Encoding: chunked");
                peer.repeatChunks(PIECE, 1L << 30);
            });
             Jar.Running chat = Jar.start(List.of("-Xmx64m"), Map.of(), "chat", "--transport", transport,
                     "--base-url", server.baseUri().toString(), "--token", "sk-hostile-it", "hi")) {
            chat.process.getOutputStream().close();
            long started = System.nanoTime();
            Jar.Result result = chat.await(120, TimeUnit.SECONDS);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

            assertThat(seconds).as("ended long before the 60 s idle timeout; stderr: %s", result.stderr()).isLessThan(40);
            assertThat(result.exit()).as(result.stderr()).isIn(3, 5);
            assertThat(result.stderr()).containsAnyOf("OutOfMemoryError", "maxAnswerBytes");
            assertThat(result.stderr().lines()).hasSize(1);
        }
    }

    /**
     * Failure 2: behind {@code record} at -Xmx64m, an endless upstream read to its end by a client that
     * is not ours (curl would) fails that exchange at the 16 MiB bound; the recorder then serves the next
     * request and stops on SIGTERM.
     */
    @Test
    void theRecorderUnderASmallHeapFailsAnEndlessExchangeAtItsBoundAndServesOn(@TempDir Path out) throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (HostileServer upstream = HostileServer.start(peer -> {
                peer.head(200, "Content-Type: text/event-stream", "Transfer-Encoding: chunked");
                if (connections.incrementAndGet() == 1) {
                    peer.repeatChunks(PIECE, 1L << 30);
                } else {
                    peer.chunk("fine".getBytes(UTF_8)).endChunks();
                }
            });
             Jar.Running record = Jar.start(List.of("-Xmx64m"), Map.of(), "record", "--port", "0",
                     "--upstream", upstream.baseUri().toString(), "--out", out.toString())) {
            URI base = URI.create(record.awaitFirstLine(60, TimeUnit.SECONDS).replace("listening on ", ""));

            long endless = readToTheEnd(base);
            assertThat(endless).as("cut at the bound; stderr: %s", record.stderr()).isBetween(8L << 20, 16L << 20);
            assertThat(readToTheEnd(base)).isPositive();
            assertThat(record.process.isAlive()).isTrue();
            try (var files = Files.list(out)) {
                assertThat(files.count()).isEqualTo(2);
            }

            record.process.toHandle().destroy(); // SIGTERM
            Jar.Result result = record.await(30, TimeUnit.SECONDS);
            assertThat(result.exit()).isZero();
            assertThat(result.stderr()).contains("maxRecordingBytes").doesNotContain("OutOfMemoryError");
        }
    }

    /** A POST read to the end of the connection, as curl does; returns the bytes after the head. */
    private static long readToTheEnd(URI base) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(60_000);
            byte[] body = "{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(UTF_8);
            OutputStream o = socket.getOutputStream();
            o.write(("POST /api/light/chat/createChatCompletion HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(UTF_8));
            o.write(body);
            o.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    total += n;
                }
            } catch (java.net.SocketException reset) {
                // a cut connection: what a failed exchange looks like
            }
            return total;
        }
    }
}
