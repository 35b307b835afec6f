package dev.chat852.modules;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The build's jars (or, before packaging, class folders) that the applications run on, picked from the
 * test dependencies Maven passes in the system property {@code chat852.dependencies}.
 */
final class ModulePath {
    private ModulePath() {
    }

    /** chat852's own artifact {@code chat852-NAME}, as a jar or as the class folder of the module {@code folder}. */
    static Predicate<Path> chat852(String name, String folder) {
        return p -> p.getFileName().toString().startsWith("chat852-" + name + "-")
                || p.endsWith(Path.of(folder, "target", "classes"));
    }

    /** A third-party jar whose name starts with {@code prefix}. */
    static Predicate<Path> jar(String prefix) {
        return p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".jar");
    }

    /** The dependencies matching any of {@code wanted}, joined as a module path. */
    @SafeVarargs
    static String of(Predicate<Path>... wanted) {
        String all = System.getProperty("chat852.dependencies");
        if (all == null || all.isBlank()) {
            throw new IllegalStateException("the build passes the test class path as chat852.dependencies; run with Maven");
        }
        List<Path> picked = Arrays.stream(all.split(File.pathSeparator)).map(Path::of)
                .filter(p -> Files.exists(p) && Arrays.stream(wanted).anyMatch(w -> w.test(p)))
                .collect(Collectors.toList());
        return picked.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
}
