package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a folder of recordings is, on disk and in a jar on the classpath, and in which order they load. */
class RecordingFilesTest {
    @TempDir
    Path dir;

    /** A recording file without a {@code "name"}: it is named after its file. */
    private static String recording(String text) {
        return "{\"response\": {\"chunks\": [{\"text\": \"" + text + "\"}]}}";
    }

    @Test
    void aFolderIsEveryJsonFileInItAndItsSubfoldersInOrderOfTheirPaths() throws Exception {
        Files.writeString(dir.resolve("b.json"), recording("b"));
        Files.writeString(dir.resolve("a.json"), recording("a"));
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/c.json"), recording("c"));
        Files.writeString(dir.resolve("notes.txt"), "not a recording");
        Files.createDirectories(dir.resolve("folder.json"));

        List<Recording> all = Recording.readAll(dir);

        assertThat(all).extracting(Recording::name).containsExactly("a", "b", "c");
        assertThat(all).extracting(r -> r.response().bodyText()).containsExactly("a", "b", "c");
        assertThat(Recording.readAll(dir.resolve("sub/c.json"))).extracting(Recording::name).containsExactly("c");
    }

    @Test
    void aClasspathFolderInAJarIsEveryJsonEntryUnderItInOrderOfTheirNames() throws Exception {
        Path jar = dir.resolve("recordings.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("recs/"));
            add(out, "recs/one.json", recording("one"));
            add(out, "recs/deep/two.json", recording("two"));
            add(out, "recs/readme.txt", "not a recording");
            out.putNextEntry(new JarEntry("recs/folder.json/"));
            add(out, "recsother/three.json", recording("three"));
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Thread.currentThread().setContextClassLoader(loader);

            assertThat(Recording.fromClasspath("recs")).extracting(Recording::name).containsExactly("two", "one");
            assertThat(Recording.fromClasspath("/recs/")).extracting(r -> r.response().bodyText())
                    .containsExactly("two", "one");
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static void add(JarOutputStream out, String name, String text) throws java.io.IOException {
        out.putNextEntry(new JarEntry(name));
        OutputStream entry = out;
        entry.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
