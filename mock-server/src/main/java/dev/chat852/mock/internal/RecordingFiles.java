package dev.chat852.mock.internal;

import dev.chat852.Dialect;
import dev.chat852.mock.Recording;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Recording files on disk and on the classpath. */
public final class RecordingFiles {
    private static final String DEMO_FOLDER = "dev/chat852/mock/demo/";
    /** Most specific first: the first recording that matches a request answers it. */
    private static final List<String> DEMO_FILES = List.of("demo-zh.json", "demo-en.json");
    private static final List<String> OPENAI_DEMO_FILES = List.of("demo-openai-zh.json", "demo-openai.json");

    private RecordingFiles() {
    }

    public static Recording read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recording " + file, e);
        }
        return RecordingReader.parse(text, baseName(file.getFileName().toString()), file.toString());
    }

    public static List<Recording> readAll(Path fileOrFolder) {
        if (!Files.isDirectory(fileOrFolder)) {
            return List.of(read(fileOrFolder));
        }
        try (Stream<Path> files = Files.walk(fileOrFolder)) {
            return files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .map(RecordingFiles::read)
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list recordings in " + fileOrFolder, e);
        }
    }

    public static List<Recording> fromClasspath(String folder, ClassLoader loader) {
        String prefix = folder.replaceAll("^/+", "").replaceAll("/+$", "");
        ClassLoader cl = loader != null ? loader : RecordingFiles.class.getClassLoader();
        List<String> resources = new ArrayList<>();
        try {
            Enumeration<URL> roots = cl.getResources(prefix);
            if (!roots.hasMoreElements()) {
                throw new IllegalArgumentException("no folder " + prefix + " on the classpath");
            }
            for (URL root : Collections.list(roots)) {
                resources.addAll(list(root, prefix));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list classpath folder " + prefix, e);
        }
        Collections.sort(resources);
        List<Recording> recordings = new ArrayList<>();
        for (String resource : resources) {
            recordings.add(readResource(cl, resource));
        }
        return recordings;
    }

    public static List<Recording> demo(Dialect dialect) {
        List<Recording> recordings = new ArrayList<>();
        for (String file : dialect == Dialect.OPENAI ? OPENAI_DEMO_FILES : DEMO_FILES) {
            recordings.add(readResource(RecordingFiles.class.getClassLoader(), DEMO_FOLDER + file));
        }
        return recordings;
    }

    /** Writes through a temporary file so that a reader never sees half a recording. */
    public static void writeAtomically(Path file, String text) throws IOException {
        writeAtomically(file, out -> out.write(text));
    }

    /** What writes a file's text. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Writer out) throws IOException;
    }

    /** Writes {@code content} (UTF-8) through a temporary file, so a reader never sees half a recording. */
    public static void writeAtomically(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".recording", ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                content.writeTo(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@code *.json} resource names under {@code prefix} in one classpath root (a folder or a jar). */
    private static List<String> list(URL root, String prefix) throws IOException {
        List<String> names = new ArrayList<>();
        if (root.getProtocol().equals("file")) {
            Path dir;
            try {
                dir = Path.of(root.toURI());
            } catch (URISyntaxException e) {
                throw new IOException("bad classpath URL " + root, e);
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json"))
                        .forEach(p -> names.add(prefix + "/" + dir.relativize(p).toString().replace('\\', '/')));
            }
        } else if (root.getProtocol().equals("jar")) {
            JarURLConnection connection = (JarURLConnection) root.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (JarEntry entry : Collections.list(jar.entries())) {
                    String name = entry.getName();
                    if (!entry.isDirectory() && name.startsWith(prefix + "/") && name.endsWith(".json")) {
                        names.add(name);
                    }
                }
            }
        } else {
            throw new IOException("cannot list classpath folder at " + root);
        }
        return names;
    }

    private static Recording readResource(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource + " on the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String file = resource.substring(resource.lastIndexOf('/') + 1);
            return RecordingReader.parse(text, baseName(file), "classpath:" + resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath:" + resource, e);
        }
    }

    private static String baseName(String fileName) {
        return fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    }
}
