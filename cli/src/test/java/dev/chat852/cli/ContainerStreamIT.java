package dev.chat852.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatClient;
import dev.chat852.ChatEvent;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.mock.Chunk;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import dev.chat852.spi.Transport;
import dev.chat852.testcontainers.Chat852MockContainer;
import dev.chat852.transport.jdk.JdkTransport;
import dev.chat852.transport.netty.NettyTransport;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The image serving a recording from a folder given to the container, read through the mapped port by
 * both transports and by curl: the same bytes, split where the recording split them, with the pause.
 */
@ExtendWith(DockerRequired.class)
@Timeout(120)
class ContainerStreamIT {
    /** Long enough that the first part is surely read before the rest is sent. */
    private static final int PAUSE_MS = 1_500;
    private static final byte[] NI = "你".getBytes(UTF_8);
    static final Recording SPLIT = Recording.builder()
            .name("split")
            .response(RecordedResponse.builder()
                    .chunk(0, "start852{\"numOfOneDayCanCallApi\":100}end8")
                    .chunk(30, "52第一段，")
                    .chunk(Chunk.of(30, Arrays.copyOf(NI, 2)))             // 你 cut after its second byte
                    .chunk(Chunk.of(30, concat(new byte[] {NI[2]}, "好".getBytes(UTF_8))))
                    .chunk(PAUSE_MS, "最后一段")
                    .chunk(10, "undefined")
                    .build())
            .build();
    static final String ANSWER = "第一段，你好最后一段";

    @TempDir
    static Path recordings;
    private static Chat852MockContainer mock;

    @BeforeAll
    static void start() {
        SPLIT.write(recordings.resolve("split.json"));
        mock = new Chat852MockContainer().withRecordings(recordings);
        mock.start();
    }

    @AfterAll
    static void stop() {
        if (mock != null) {
            mock.stop();
        }
    }

    static Stream<Arguments> transports() {
        return Stream.of(Arguments.of("jdk", (Supplier<Transport>) JdkTransport::create),
                Arguments.of("netty", (Supplier<Transport>) NettyTransport::create));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void streamsTheRecordingThroughTheMappedPortAsItArrives(String name, Supplier<Transport> transports) {
        List<String> pieces = new ArrayList<>();
        String receivedAtFirstPiece = null;
        String header = null;
        try (Transport transport = transports.get();
             ChatClient client = ChatClient.builder().transport(transport).baseUrl(mock.baseUri().toString())
                     .token("sk-container-test").build();
             ChatStream stream = client.stream(ChatRequest.of("你好"))) {
            for (Iterator<ChatEvent> events = stream.events().iterator(); events.hasNext(); ) {
                ChatEvent event = events.next();
                if (event instanceof ChatEvent.HeaderReceived) {
                    header = ((ChatEvent.HeaderReceived) event).header().raw();
                } else if (event instanceof ChatEvent.TextDelta) {
                    if (pieces.isEmpty()) {
                        receivedAtFirstPiece = stream.received().text();
                    }
                    pieces.add(((ChatEvent.TextDelta) event).text());
                }
            }
        }

        assertThat(String.join("", pieces)).isEqualTo(ANSWER);
        assertThat(header).isEqualTo("{\"numOfOneDayCanCallApi\":100}");
        assertThat(pieces).as("one piece per chunk or more").hasSizeGreaterThanOrEqualTo(3);
        assertThat(receivedAtFirstPiece).as("the first piece arrived while the rest was on its way")
                .doesNotContain("最后一段");
        assertThat(mock.admin().requests()).last().satisfies(r -> assertThat(r.matched()).hasValue("split"));
    }

    @Test
    void curlReadsTheStreamByteForByteAsItArrives() throws Exception {
        byte[] body = SPLIT.response().body();
        byte[] beforePause = "start852{\"numOfOneDayCanCallApi\":100}end852第一段，你好".getBytes(UTF_8);
        Process curl = new ProcessBuilder("curl", "--silent", "--show-error", "--no-buffer",
                "-H", "Content-Type: application/json",
                "--data-binary", "{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                mock.endpoint().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (InputStream out = curl.getInputStream()) {
            byte[] first = out.readNBytes(beforePause.length);
            boolean stillStreaming = curl.isAlive();
            byte[] rest = out.readAllBytes();

            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(curl.exitValue()).isZero();
            assertThat(first).isEqualTo(beforePause);
            assertThat(concat(first, rest)).isEqualTo(body);
            assertThat(stillStreaming).as("curl had the first part while the rest was on its way").isTrue();
        } finally {
            curl.destroyForcibly();
        }
    }

    @Test
    void theGivenFolderReplacesTheDemoRecordings() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(mock.baseUri() + "/__admin/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(health.body()).isEqualTo("{\"status\":\"up\",\"recordings\":1}");
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
