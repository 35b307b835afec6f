package dev.chat852.docs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a page's shell text with bash, as a reader would from the repository root, with what a test
 * must change and nothing else: the fixed ports a page uses (8520, 8521, 8852) become free ones, so
 * that a build on a shared machine does not collide; {@code /tmp/} becomes a folder of the test's own;
 * benchmark runs are shortened (one short iteration instead of minutes: the command and its options
 * are what is checked, not the figures, so the runs are not forked either); Maven lines are not run (MavenCommandsTest checks them,
 * since running them would rebuild the tree from inside its own build).
 */
final class Shell implements AutoCloseable {
    /** The ports pages use: the mock's default, the recorder's, and one a sample picks. */
    static final List<String> PAGE_PORTS = List.of("8520", "8521", "8852");

    private static final Pattern JMH_RUN = Pattern.compile("-jar benchmarks/target/benchmarks\\.jar (?!-l|-h)");
    private static final Map<String, String> SHORTER_JMH = Map.of(
            " -f \\d+", " -f 0", " -wi \\d+", " -wi 1", " -i \\d+", " -i 1", " -w \\S+", " -w 100ms",
            " -r \\S+", " -r 100ms");
    private static final Map<String, String> SHORTER_LOAD = Map.of(
            "--connections [0-9,]+", "--connections 2", "--runs \\d+", "--runs 1",
            "--warmup-runs \\d+", "--warmup-runs 1", "--warmup-connections \\d+", "--warmup-connections 2",
            "--text-chunks \\d+", "--text-chunks 20", "--streams \\d+", "--streams 2");

    final Path workspace;
    final Map<String, String> ports = new LinkedHashMap<>();

    /** A folder that looks like the repository root (its entries linked) where pages' files land. */
    Shell(Path temp) throws IOException {
        this.workspace = Files.createDirectories(temp.resolve("workspace"));
        try (Stream<Path> entries = Files.list(Pages.ROOT)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.equals(".git") && !name.equals("recordings")) {
                    Files.createSymbolicLink(workspace.resolve(name), entry);
                }
            }
        }
        Files.createDirectories(temp.resolve("tmp"));
        for (String port : PAGE_PORTS) {
            ports.put(port, Integer.toString(freePort()));
        }
    }

    /** The page's text with the changes named above. */
    String adapt(String text) {
        String adapted = withPorts(text).replace("/tmp/", workspace.resolveSibling("tmp") + "/");
        // A run that passes options to its JVM (a flight recording, say) keeps one fork, for them to apply.
        String forks = text.contains("-jvmArgs") ? " -f 1" : " -f 0";
        StringBuilder out = new StringBuilder();
        for (String line : adapted.split("\n", -1)) {
            if (line.startsWith("./mvnw ")) {
                out.append(": checked by MavenCommandsTest, not run here\n");
                continue;
            }
            // Another JMH run on a shared machine holds /tmp/jmh.lock; this one is short and measures nothing.
            line = line.replace("java -jar benchmarks/target/benchmarks.jar", "java -Djmh.ignoreLock=true -jar"
                    + " benchmarks/target/benchmarks.jar");
            if (JMH_RUN.matcher(line).find() || line.startsWith("    -")) {
                for (Map.Entry<String, String> e : SHORTER_JMH.entrySet()) {
                    line = line.replaceAll(e.getKey() + "(?=\\s|$)", e.getValue().replace(" -f 0", forks));
                }
            }
            for (Map.Entry<String, String> e : SHORTER_LOAD.entrySet()) {
                line = line.replaceAll(e.getKey(), e.getValue());
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** Removes the containers publishing one of this run's ports, if a Docker engine runs them. */
    void removeContainers() throws Exception {
        for (String port : ports.values()) {
            new ProcessBuilder("bash", "-c", "command -v docker >/dev/null || exit 0; docker ps -q --filter publish="
                    + port + " | xargs -r docker rm -f").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** Removes the links to the repository (only the links), so that deleting the folder leaves it alone. */
    @Override
    public void close() throws IOException {
        try (Stream<Path> entries = Files.list(workspace)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (Files.isSymbolicLink(entry)) {
                    Files.delete(entry);
                }
            }
        }
    }

    /** The text with each page port replaced by this run's free port. */
    String withPorts(String text) {
        // A container's own port stays: only the host side of -p HOST:CONTAINER is the page's to change.
        String result = text.replaceAll("-p (\\d+):(\\d+)", "-p $1:\u0000$2");
        for (Map.Entry<String, String> port : ports.entrySet()) {
            result = result.replaceAll("(?<![0-9\u0000])" + port.getKey() + "(?![0-9])", port.getValue());
        }
        return result.replace("\u0000", "");
    }

    /**
     * The script run with a terminal as its standard output and error (util-linux {@code script}), for a
     * page that shows what a terminal shows: the command behaves as it does for a reader at a prompt.
     */
    String onATerminal(String script) throws IOException {
        Path file = workspace.resolve("block.sh");
        Files.writeString(file, "set -eo pipefail\n" + script, UTF_8);
        return "script -qefc 'bash block.sh' /dev/null\n";
    }

    /** Runs a script; background jobs it starts are stopped when it ends. */
    Result run(String script, long timeoutSeconds) throws Exception {
        String wrapped = "set -eo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" + script;
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", wrapped).directory(workspace.toFile());
        builder.environment().remove("CHAT852_TOKEN"); // a developer's own token stays out
        // The JDK running the tests comes first: its java, jfr and jar are the ones the pages mean.
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        builder.environment().merge("PATH", bin.toString(), (old, first) -> first + ":" + old);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<byte[]> out = read(process.getInputStream());
        CompletableFuture<byte[]> err = read(process.getErrorStream());
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError("still running after " + timeoutSeconds + " s:\n" + script);
            }
            return new Result(process.exitValue(), new String(out.get(30, TimeUnit.SECONDS), UTF_8),
                    new String(err.get(30, TimeUnit.SECONDS), UTF_8));
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    record Result(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + stdout + "--- stderr:\n" + stderr;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static CompletableFuture<byte[]> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                in.transferTo(bytes);
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Splits {@code $ command} transcripts into commands and the output shown under each. */
    static List<Step> steps(String transcript) {
        List<Step> steps = new java.util.ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\$ ((?:.*\\\\\\n)*.*)\\n((?:(?!\\$ ).*\\n)*)").matcher(transcript);
        while (m.find()) {
            steps.add(new Step(m.group(1), m.group(2)));
        }
        return steps;
    }

    record Step(String command, String shown) {
    }
}
