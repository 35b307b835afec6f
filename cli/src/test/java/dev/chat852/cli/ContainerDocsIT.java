package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.mock.Recording;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** docs/container.md's quick start, run as it is written there. */
@ExtendWith(DockerRequired.class)
@Timeout(120)
class ContainerDocsIT {
    private static final String DOC = "docs/container.md";

    /** The first {@code ```sh} block after the "## Quick start" heading. */
    static String quickStart(String markdown) {
        Matcher block = Pattern.compile("## Quick start\\n.*?```sh\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        assertThat(block.find()).as(DOC + " has a sh block under '## Quick start'").isTrue();
        return block.group(1);
    }

    @Test
    void theQuickStartPrintsTheStreamedDemoAnswer() throws Exception {
        String script = quickStart(Files.readString(Samples.REPO_ROOT.resolve(DOC)));
        assertThat(script).as("the documented command runs the image this build made")
                .contains("docker run -d --rm -p 8520:8520 " + DockerRequired.IMAGE + ")");
        int port = isFree(8520) ? 8520 : freePort(); // another build or mock may hold 8520 on a shared machine
        String run = script.replace("-p 8520:8520", "-p " + port + ":8520").replace("localhost:8520", "localhost:" + port);

        Process bash = new ProcessBuilder("bash", "-e", "-c", run).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            byte[] printed = bash.getInputStream().readAllBytes();

            assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(bash.exitValue()).isZero();
            assertThat(printed).isEqualTo(demoZh().response().body());
        } finally {
            if (bash.isAlive()) {
                bash.destroyForcibly();
                new ProcessBuilder("bash", "-c", "docker ps -q --filter ancestor=" + DockerRequired.IMAGE
                        + " --filter publish=" + port + " | xargs -r docker rm -f").start().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Recording demoZh() {
        return Recording.demo().stream().filter(r -> r.name().equals("demo-zh")).findFirst().orElseThrow();
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return socket.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
