package dev.chat852.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** What the pages' samples are given: the sample files of docs/samples, laid out as in a user's project. */
public final class Fixtures {
    /** docs/samples: the sample body, and recordings/ as the pages' samples use it. */
    static final Path SAMPLES = Pages.ROOT.resolve("docs/samples");

    private Fixtures() {
    }

    /** A file of docs/samples in chunks of random sizes (seeded: every run the same), as a network gives it. */
    public static List<byte[]> chunks(String sample) throws IOException {
        byte[] body = Files.readAllBytes(SAMPLES.resolve(sample));
        Random random = new Random(852);
        List<byte[]> chunks = new ArrayList<>();
        for (int from = 0; from < body.length; ) {
            int to = Math.min(body.length, from + 1 + random.nextInt(16));
            chunks.add(java.util.Arrays.copyOfRange(body, from, to));
            from = to;
        }
        return chunks;
    }

    /** A folder with docs/samples/recordings as {@code recordings/} and {@code src/test/resources/recordings/}. */
    static Path project(Path dir) throws IOException {
        for (String target : List.of("recordings", "src/test/resources/recordings")) {
            Path to = Files.createDirectories(dir.resolve(target));
            try (Stream<Path> files = Files.list(SAMPLES.resolve("recordings"))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
        return dir;
    }
}
