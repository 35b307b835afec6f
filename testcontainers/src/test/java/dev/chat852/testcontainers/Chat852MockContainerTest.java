package dev.chat852.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.mock.Fault;
import dev.chat852.mock.Rechunk;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.utility.DockerImageName;

/**
 * How the container is configured, checked without Docker: what reaches {@code chat852 mock}'s command
 * line, where recordings go, and that the token stays out of both. The cli module's *ContainerIT tests
 * run the image for real.
 */
class Chat852MockContainerTest {

    @Test
    void theDefaultImageIsTheOneThisBuildMakes() {
        assertThat(Chat852MockContainer.DEFAULT_IMAGE.asCanonicalNameString())
                .isEqualTo("chat852/mock-server:" + System.getProperty("chat852.version"));
    }

    @Test
    void withNothingGivenTheServerGetsNoArgumentsAndServesTheDemo() {
        Chat852MockContainer container = new Chat852MockContainer();

        container.configure();

        assertThat(container.getCommandParts()).isEmpty();
        assertThat(container.getExposedPorts()).containsExactly(Chat852MockContainer.PORT);
        assertThat(container.toString()).contains("demo recordings", "not started");
    }

    @Test
    void optionsBecomeArgumentsOfChat852MockEachOnce() {
        Chat852MockContainer container = new Chat852MockContainer()
                .withSpeed(2)
                .withSpeed(0)
                .withRechunk(Rechunk.parse("random:7:3"))
                .withFault(Fault.reset(100))
                .withFault(Fault.delay(5));

        container.configure();

        assertThat(container.getCommandParts()).containsExactly("--speed", "0.0", "--rechunk", "random:7:3",
                "--fault", "reset:100", "--fault", "delay:5");
    }

    @Test
    @SuppressWarnings("deprecation") // the only public view of what will be copied
    void recordingsAreCopiedIntoNumberedFoldersInTheOrderGiven(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("folder"));
        Path file = Files.writeString(dir.resolve("one.json"), "{\"response\":{}}");

        Chat852MockContainer container = new Chat852MockContainer().withRecordings(folder).withRecordings(file);
        container.configure();

        assertThat(container.getCopyToFileContainerPathMap().values())
                .containsExactlyInAnyOrder("/recordings/001", "/recordings/002/one.json");
        assertThat(container.getCommandParts()).containsExactly("--recordings", "/recordings");
        assertThat(container.toString()).doesNotContain("demo recordings");
    }

    @Test
    void aMissingRecordingPathIsRefusedNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope");

        assertThatThrownBy(() -> new Chat852MockContainer().withRecordings(missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void theTokenIsAnEnvironmentVariableNeverAnArgumentNorInToString() {
        Chat852MockContainer container = new Chat852MockContainer().withToken("sk-container-secret-852");

        container.configure();

        assertThat(container.getEnvMap()).containsEntry("CHAT852_MOCK_TOKEN", "sk-container-secret-852");
        assertThat(container.getCommandParts()).doesNotContain("sk-container-secret-852");
        assertThat(container.toString()).contains("token checked").doesNotContain("sk-container-secret-852");
    }

    @Test
    void badSettingsAreRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> new Chat852MockContainer().withSpeed(-1)).hasMessageContaining("speed");
        assertThatThrownBy(() -> new Chat852MockContainer().withSpeed(Double.NaN)).hasMessageContaining("speed");
        assertThatThrownBy(() -> new Chat852MockContainer().withToken("")).hasMessageContaining("token");
    }

    @Test
    void anotherImageMustBeThisOneOrDeclaredASubstitute() {
        assertThat(new Chat852MockContainer(DockerImageName.parse("chat852/mock-server:0.0.1"))).isNotNull();
        assertThat(new Chat852MockContainer(DockerImageName.parse("registry.example/mirror/mock:1")
                .asCompatibleSubstituteFor("chat852/mock-server"))).isNotNull();
        assertThatThrownBy(() -> new Chat852MockContainer(DockerImageName.parse("nginx:1")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("chat852/mock-server");
    }
}
