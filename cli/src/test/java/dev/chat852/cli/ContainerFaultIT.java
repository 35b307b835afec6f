package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.ApiException;
import dev.chat852.Chat852Exception;
import dev.chat852.ChatClient;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.mock.Fault;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import dev.chat852.testcontainers.Chat852MockContainer;
import dev.chat852.transport.jdk.JdkTransport;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The image with a token to check and a fault on every answer, both given as container options. */
@ExtendWith(DockerRequired.class)
@Timeout(120)
class ContainerFaultIT {
    private static final String TOKEN = "sk-container-token-8520";
    private static final String FIRST = "start852{}end852第一段";
    private static final Recording ANSWER = Recording.builder()
            .name("cut")
            .response(RecordedResponse.builder().chunk(0, FIRST).chunk(20, "第二段").chunk(20, "undefined").build())
            .build();

    private static Chat852MockContainer mock;

    @BeforeAll
    static void start() {
        mock = new Chat852MockContainer()
                .withRecording(ANSWER)
                .withSpeed(0)
                .withToken(TOKEN)
                .withFault(Fault.truncate(FIRST.getBytes(StandardCharsets.UTF_8).length));
        mock.start();
    }

    @AfterAll
    static void stop() {
        if (mock != null) {
            mock.stop();
        }
    }

    private static ChatClient client(String token) {
        return ChatClient.builder().transport(JdkTransport.create()).baseUrl(mock.baseUri().toString()).token(token)
                .build();
    }

    @Test
    void aWrongTokenGetsTheUpstreamsErrorOnHttp200() {
        try (ChatClient client = client("sk-wrong-token")) {
            assertThatThrownBy(() -> client.complete(ChatRequest.of("hi")))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(401);
                        assertThat(e.serverMessage()).isEqualTo("token无效");
                        assertThat(e.httpStatus()).isEqualTo(200);
                    });
        }
    }

    @Test
    void theRightTokenStreamsUntilTheFaultCutsTheAnswer() {
        try (ChatClient client = client(TOKEN); ChatStream stream = client.stream(ChatRequest.of("hi"))) {
            assertThatThrownBy(() -> stream.text().forEach(piece -> { }))
                    .isInstanceOf(Chat852Exception.class);

            assertThat(stream.received().text()).isEqualTo("第一段");
        }
        assertThat(mock.admin().requests()).last().satisfies(r -> assertThat(r.hasToken()).isTrue());
    }

    @Test
    void theTokenAppearsNeitherInTheContainersLogNorInToString() {
        try (ChatClient client = client(TOKEN)) {
            assertThatThrownBy(() -> client.complete(ChatRequest.of("hi"))).isInstanceOf(Chat852Exception.class);
        }

        assertThat(mock.getLogs()).contains("token checked").doesNotContain(TOKEN);
        assertThat(mock.toString()).contains("token checked").doesNotContain(TOKEN);
        assertThat(mock.getCommandParts()).doesNotContain(TOKEN);
    }
}
