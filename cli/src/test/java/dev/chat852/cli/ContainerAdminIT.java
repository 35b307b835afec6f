package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatClient;
import dev.chat852.ChatMessage;
import dev.chat852.ChatRequest;
import dev.chat852.mock.MockAdmin;
import dev.chat852.mock.RecordedRequest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import dev.chat852.testcontainers.Chat852MockContainer;
import dev.chat852.transport.netty.NettyTransport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The admin API of the image, through the container's {@link MockAdmin}, as docs/container.md shows it. */
@ExtendWith(DockerRequired.class)
@Testcontainers
@Timeout(120)
class ContainerAdminIT {

    @Container
    static final Chat852MockContainer mock = new Chat852MockContainer().withSpeed(0);

    private static final Recording PING = Recording.builder()
            .name("ping")
            .request(RecordedRequest.builder().message("user", "ping").build())
            .response(RecordedResponse.builder().chunk(0, "start852{}end852pong").build())
            .build();

    @BeforeEach
    void reset() {
        mock.admin().reset();
    }

    private static String chat(String prompt) {
        try (ChatClient client = ChatClient.builder().transport(NettyTransport.create())
                .baseUrl(mock.baseUri().toString()).token("sk-admin-it").build()) {
            return client.complete(ChatRequest.of(prompt)).text();
        }
    }

    @Test
    void theHealthCheckSaysUp() {
        assertThat(mock.admin().isUp()).isTrue();
    }

    @Test
    void anEnqueuedRecordingAnswersOnceThenTheDemoDoes() {
        mock.admin().enqueue(PING);

        assertThat(chat("ping")).isEqualTo("pong");
        assertThat(chat("ping")).isEqualTo(Demo.EN);
    }

    @Test
    void receivedRequestsAreListedWithoutTheTokenAndCleared() {
        chat("ping");
        chat("你好");

        assertThat(mock.admin().requests()).satisfiesExactly(
                first -> {
                    assertThat(first.messages()).containsExactly(ChatMessage.user("ping"));
                    assertThat(first.matched()).hasValue("demo-en");
                    assertThat(first.hasToken()).isTrue();
                    assertThat(first.json().has("token")).isFalse();
                },
                second -> assertThat(second.matched()).hasValue("demo-zh"));
        mock.admin().clearRequests();
        assertThat(mock.admin().requests()).isEmpty();
    }

    @Test
    void anAddedRecordingStaysUntilReset() {
        mock.admin().add(PING);

        assertThat(chat("ping")).isEqualTo("pong");
        assertThat(chat("ping")).isEqualTo("pong");
        mock.admin().reset();
        assertThat(chat("ping")).isEqualTo(Demo.EN);
        assertThat(mock.admin().requests()).hasSize(1);
    }
}
