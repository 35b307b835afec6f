package dev.chat852.cli;

import dev.chat852.Dialect;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.Recording;

/** The mock behind {@code chat --offline}: the bundled demo recordings of both dialects on a free loopback port. */
final class OfflineMock {
    private OfflineMock() {
    }

    /**
     * Starts it.
     *
     * @param speed 1 as recorded, 0 no pauses
     * @throws RuntimeException if it cannot start
     */
    static MockServer start(double speed) {
        return MockServer.builder()
                .recordings(Recording.demo())
                .recordings(Recording.demo(Dialect.OPENAI))
                .port(0)
                .speed(speed)
                .build()
                .start();
    }
}
