package dev.chat852.mock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.mock.Chunk;
import dev.chat852.mock.Recording;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Writes the recorder's recordings: one file per exchange, never one that holds the token. */
public final class RecordingSink {
    private static final System.Logger LOG = System.getLogger("dev.chat852.mock");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final Path folder;
    private final Consumer<Path> written;
    private final AtomicInteger sequence = new AtomicInteger();

    /** @param written told of each file written, on an event loop thread: must not block */
    public RecordingSink(Path folder, Consumer<Path> written) {
        this.folder = folder;
        this.written = written;
    }

    /**
     * Writes a recording named after the time and a sequence number. Refuses, with a warning that
     * does not show it, if the token appears anywhere in what would be written; the file written is
     * told to the consumer given at construction.
     */
    void write(Recording.Builder recording, Instant at, String upstream, JsonNode params, String token) {
        int seq = sequence.incrementAndGet();
        String name = STAMP.format(at) + "-" + String.format("%03d", seq);
        Recording r = recording.name(name).build();
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("recordedAt", at.toString());
        extra.put("upstream", upstream);
        // The token is looked for in everything but the body as text, and in the body as bytes, chunk by
        // chunk: an answer near the recorder's bound is never copied whole to be searched.
        Recording withoutBody = r.newBuilder().response(r.response().newBuilder().chunks(List.of()).build()).build();
        if (Redaction.containsToken(RecordingJson.write(withoutBody, extra, params), token)
                || Redaction.containsToken(r.response(), token)) {
            LOG.log(System.Logger.Level.WARNING, "chat852 recorder: recording {0} not written: "
                    + "the response from the upstream contains the token of the request", name);
            return;
        }
        Path file = folder.resolve(name + ".json");
        try {
            Files.createDirectories(folder);
            RecordingFiles.writeAtomically(file, out -> RecordingJson.write(r, extra, params, out));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "chat852 recorder: cannot write {0}: {1}", file, e.toString());
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "chat852 recorder wrote {0} ({1} chunk(s), {2} byte(s))", file,
                r.response().chunks().size(), r.response().chunks().stream().mapToLong(Chunk::size).sum());
        written.accept(file);
    }
}
