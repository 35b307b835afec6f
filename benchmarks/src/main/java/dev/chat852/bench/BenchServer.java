package dev.chat852.bench;

import dev.chat852.mock.MockServer;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server {@link TransportBenchmark} talks to, in a JVM of its own: a {@link MockServer} on
 * 127.0.0.1 at speed 0 (no delays) with the short and the long answer of {@link BenchRecordings}.
 * Prints {@code port N} on stdout once it listens, and stops when its stdin ends, so it never outlives
 * the benchmark that started it.
 *
 * <p>A process of its own keeps the server's allocation, GC pauses, JIT and Netty type profiles out of
 * the measured JVM: {@code -prof gc} then counts the client alone, and the Netty transport does not
 * share (and pollute) profiles of Netty classes with the server. Both still share the machine's two cores.
 */
public final class BenchServer {
    private BenchServer() {
    }

    public static void main(String[] args) throws IOException {
        Logger.getLogger("").setLevel(Level.WARNING);
        Logger.getLogger("dev.chat852.mock").setLevel(Level.WARNING);
        try (MockServer server = MockServer.builder()
                .speed(0)
                .requestLogLimit(16)
                .recording(BenchRecordings.shortRecording(BenchRecordings.shortBody()))
                .recording(BenchRecordings.longRecording(BenchRecordings.longBody()))
                .build()
                .start()) {
            System.out.println("port " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the parent closes our stdin (or dies)
            }
        }
    }
}
