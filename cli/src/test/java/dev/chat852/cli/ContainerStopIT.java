package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.chat852.ChatClient;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.testcontainers.Chat852MockContainer;
import dev.chat852.transport.jdk.JdkTransport;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** SIGTERM ends the image's server cleanly and at once, streams in flight or not. */
@ExtendWith(DockerRequired.class)
@Timeout(120)
class ContainerStopIT {

    @Test
    void sigtermStopsItWithinASecondWithStatusZeroWhileAStreamIsInFlight() {
        try (Chat852MockContainer mock = new Chat852MockContainer()) { // the demo: ~3.5 s of recorded timing
            mock.start();
            try (ChatClient client = ChatClient.builder().transport(JdkTransport.create())
                    .baseUrl(mock.baseUri().toString()).token("sk-stop-it").build();
                 ChatStream stream = client.stream(ChatRequest.of("你好"))) {
                Iterator<String> text = stream.text().iterator();
                assertThat(text.next()).isNotEmpty(); // the stream is under way

                // docker stop sends SIGTERM and, after the timeout (1 s), SIGKILL: exit 137 would mean it had to.
                long started = System.nanoTime();
                mock.getDockerClient().stopContainerCmd(mock.getContainerId()).withTimeout(1).exec();
                long stoppedMillis = (System.nanoTime() - started) / 1_000_000;

                InspectContainerResponse.ContainerState state =
                        mock.getDockerClient().inspectContainerCmd(mock.getContainerId()).exec().getState();
                assertThat(state.getRunning()).isFalse();
                assertThat(state.getExitCodeLong()).as("exit status (137: killed after the 1 s grace)").isZero();
                assertThat(mock.getLogs()).contains("listening on").doesNotContain("Exception");
                System.err.println("docker stop returned after " + stoppedMillis + " ms");
            }
        }
    }
}
