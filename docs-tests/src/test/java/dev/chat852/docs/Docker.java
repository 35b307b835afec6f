package dev.chat852.docs;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.chat852.testcontainers.Chat852MockContainer;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * For the blocks that run the mock's image: a Docker engine and the image this build made. Without
 * them the block is skipped with a message, except under {@code CI=true}, where .ci/run starts an
 * engine and the build makes the image, so their absence is a failure.
 */
final class Docker {
    private Docker() {
    }

    static void require(String where) {
        String missing;
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            missing = "no Docker engine is reachable";
        } else {
            try {
                DockerClientFactory.instance().client()
                        .inspectImageCmd(Chat852MockContainer.DEFAULT_IMAGE.asCanonicalNameString()).exec();
                return;
            } catch (NotFoundException e) {
                missing = "the image " + Chat852MockContainer.DEFAULT_IMAGE.asCanonicalNameString() + " was not built";
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(where + ": " + missing + "; with CI=true it must run (.ci/run starts"
                    + " a Docker engine, the build makes the image)");
        }
        System.err.println(where + ": skipped, " + missing + " (start dockerd and build without"
                + " -Dchat852.image.skip=true to run it)");
        Assumptions.abort(missing);
    }
}
