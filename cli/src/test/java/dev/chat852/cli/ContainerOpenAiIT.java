package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatClient;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatRequest;
import dev.chat852.Dialect;
import dev.chat852.mock.Recording;
import dev.chat852.spi.Transport;
import dev.chat852.testcontainers.Chat852MockContainer;
import dev.chat852.transport.jdk.JdkTransport;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The image serves both dialects: an OpenAI recording from a folder given to the container on
 * {@code /v1/chat/completions}, beside the 852 demo, and one added through the admin API, read by the
 * client in the OpenAI dialect over both transports, with the key checked as a bearer key.
 */
@ExtendWith(DockerRequired.class)
@Timeout(120)
class ContainerOpenAiIT {
    private static final String KEY = "sk-container-openai-3c4d5e";
    private static final List<Recording> OPENAI = Recording.demo(Dialect.OPENAI);

    @TempDir
    static Path recordings;
    private static Chat852MockContainer mock;

    @BeforeAll
    static void start() {
        OPENAI.get(0).write(recordings.resolve("demo-openai-zh.json"));
        Recording.demo().get(1).write(recordings.resolve("demo-en.json"));
        mock = new Chat852MockContainer().withRecordings(recordings).withToken(KEY);
        mock.start();
    }

    @AfterAll
    static void stop() {
        if (mock != null) {
            mock.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.chat852.cli.ContainerStreamIT#transports")
    void streamsTheOpenAiRecordingBesideThe852One(String name, Supplier<Transport> transports) {
        try (Transport transport = transports.get();
             ChatClient openAi = ChatClient.builder().dialect(Dialect.OPENAI).transport(transport)
                     .baseUrl(mock.baseUri() + "/v1").token(KEY).build();
             ChatClient chat852 = ChatClient.builder().transport(transport).baseUrl(mock.baseUri().toString())
                     .token(KEY).build()) {
            ChatCompletion answer = openAi.stream(ChatRequest.of("你好")).completion().join();
            assertThat(answer.text()).isEqualTo(OpenAiDialectCliTest.answer(OPENAI.get(0)));
            assertThat(answer.finishReason()).contains("stop");
            assertThat(chat852.stream(ChatRequest.of("你好")).completion().join().text()).startsWith("Hello!");
        }
        assertThat(mock.admin().requests()).extracting(r -> r.matched().orElseThrow()).endsWith("demo-openai-zh", "demo-en");
    }

    @Test
    void anOpenAiRecordingAddedThroughTheAdminApiIsServed() {
        mock.admin().add(OPENAI.get(1));
        try (Transport transport = JdkTransport.create();
             ChatClient openAi = ChatClient.builder().dialect(Dialect.OPENAI).transport(transport)
                     .baseUrl(mock.baseUri().toString()).token(KEY).build()) {
            assertThat(openAi.complete(ChatRequest.of("anything")).text())
                    .isEqualTo(OpenAiDialectCliTest.answer(OPENAI.get(1)));
        } finally {
            mock.admin().reset();
        }
    }
}
