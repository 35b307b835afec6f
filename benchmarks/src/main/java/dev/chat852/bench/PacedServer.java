package dev.chat852.bench;

import dev.chat852.mock.MockServer;
import dev.chat852.mock.Recording;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server {@link ManyStreams} talks to, in a JVM of its own (so that the client's threads, heap and
 * resident memory are the client's alone): a {@link MockServer} on 127.0.0.1 replaying, at recorded
 * speed, {@link BenchRecordings#paced} built from the arguments {@code HEAD_MS TEXT_CHUNKS GAP_MS
 * BODY_BYTES} for every request. Prints {@code port N} once it listens, and stops when its stdin ends.
 */
public final class PacedServer {
    private PacedServer() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: PacedServer HEAD_MS TEXT_CHUNKS GAP_MS BODY_BYTES");
        }
        Logger.getLogger("").setLevel(Level.WARNING);
        Logger.getLogger("dev.chat852.mock").setLevel(Level.WARNING);
        try (MockServer server = MockServer.builder()
                .requestLogLimit(0)
                .recording(recording(Long.parseLong(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]),
                        Integer.parseInt(args[3])))
                .build()
                .start()) {
            System.out.println("port " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the parent closes our stdin (or dies)
            }
        }
    }

    /** The recording, the same in the server's process and in the client's, which checks the answers. */
    static Recording recording(long headMs, int textChunks, long gapMs, int bodyBytes) {
        return BenchRecordings.paced(ChatBodyGenerator.generate(BenchRecordings.SEED, bodyBytes), headMs, textChunks, gapMs);
    }
}
