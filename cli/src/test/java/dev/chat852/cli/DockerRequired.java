package dev.chat852.cli;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.chat852.testcontainers.Chat852MockContainer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * For the *ContainerIT classes, registered before anything starts a container: they need a Docker
 * engine and the image this module's build made. Without them a class is skipped with a message that
 * says how to run it, unless {@code CI=true}: CI must run them, so there it is a failure.
 */
final class DockerRequired implements BeforeAllCallback {
    static final String IMAGE = Chat852MockContainer.DEFAULT_IMAGE.asCanonicalNameString();

    @Override
    public void beforeAll(ExtensionContext context) {
        String missing = missing();
        if (missing == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(missing + " With CI=true the container tests must run:"
                    + " .ci/run installs and starts a Docker engine before the build.");
        }
        String message = missing + " The container tests are skipped. To run them, start a Docker engine"
                + " (apt-get install docker.io, then dockerd &) and run ./mvnw -B verify, which builds the"
                + " image first (docs/container.md). With CI=true this is a failure instead.";
        System.err.println(context.getDisplayName() + ": " + message);
        Assumptions.abort(message);
    }

    private static String missing() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return "No Docker engine is reachable.";
        }
        try {
            DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec();
            return null;
        } catch (NotFoundException e) {
            return "The image " + IMAGE + " has not been built (was the build run with -Dchat852.image.skip=true?).";
        }
    }
}
