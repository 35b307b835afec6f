package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat852.mock.MockAdmin;
import dev.chat852.mock.Recording;
import dev.chat852.protocol.ChatApi;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** docs/container.md's {@code docker run} commands, run as they are written there. */
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

    @Test
    void theDocumentedRunWithAMountedFolderServesItChecksTheTokenAndStopsOnSigterm(@TempDir Path dir)
            throws Exception {
        Matcher block = Pattern.compile("```sh\\n(# your recordings[^\\n]*\\n.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(Samples.REPO_ROOT.resolve(DOC)));
        assertThat(block.find()).as(DOC + " has the '# your recordings' block").isTrue();
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        ContainerStreamIT.SPLIT.write(recordings.resolve("split.json"));
        // The server runs as user 65532: what is mounted must be readable by others, as the page says.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(recordings, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(recordings.resolve("split.json"), PosixFilePermissions.fromString("rw-r--r--"));
        int port = isFree(8520) ? 8520 : freePort();
        String command = block.group(1).replace("-p 8520:8520", "-p " + port + ":8520");
        URI base = URI.create("http://localhost:" + port);

        // exec: the docker client itself gets the SIGTERM below, and passes it on to the container.
        Process docker = new ProcessBuilder("bash", "-c", "exec " + command).directory(dir.toFile())
                .redirectErrorStream(true).start();
        try {
            await("the container answers its health check").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).until(() -> MockAdmin.of(base).isUp());
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> right = http.send(chat(base, "sk-test"), HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<String> wrong = http.send(chat(base, "sk-wrong"), HttpResponse.BodyHandlers.ofString());
            docker.toHandle().destroy(); // SIGTERM

            assertThat(docker.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String log = new String(docker.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(docker.exitValue()).as("docker run's status is the server's: %s", log).isZero();
            assertThat(right.body()).isEqualTo(ContainerStreamIT.SPLIT.response().body());
            assertThat(wrong.body()).isEqualTo("{\"code\":401,\"message\":\"token无效\",\"data\":null}");
            assertThat(log).contains("1 recording(s)", "rechunk bytes", "token checked").doesNotContain("sk-test");
        } finally {
            docker.destroyForcibly();
        }
    }

    private static HttpRequest chat(URI base, String token) {
        return HttpRequest.newBuilder(URI.create(base + ChatApi.PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4\",\"token\":\"" + token
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
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
