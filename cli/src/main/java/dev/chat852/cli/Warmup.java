package dev.chat852.cli;

import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;

/**
 * Start-up work done on a background thread while the command does other things. The JDK's HTTP
 * client creates the default {@link SSLContext} (reading the trust store: a few hundred milliseconds)
 * when its first client is built, even for a plain {@code http://} URL; started early, it overlaps with
 * the mock's start and the request's preparation instead of delaying the request.
 */
final class Warmup {
    private Warmup() {
    }

    /** Starts building the default SSLContext on a daemon thread; the JDK caches it for its first user. */
    static void tls() {
        Thread thread = new Thread(() -> {
            try {
                SSLContext.getDefault();
            } catch (NoSuchAlgorithmException | RuntimeException e) {
                // The HTTP client will meet and report the same problem when it needs TLS.
            }
        }, "chat852-warmup");
        thread.setDaemon(true);
        thread.start();
    }
}
