package dev.chat852.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Time from {@code java -jar cli/target/chat852.jar chat --offline …} to the first byte of the answer
 * on its standard output: the real command, launched as a process {@code --runs} times per mode, modes
 * taking turns so that a change in the machine's load falls on all of them alike, after one discarded
 * launch each. The clock starts just before the process is started and stops when the first byte can
 * be read from its stdout (a pipe, as in a script); the time to its exit is reported too.
 *
 * <p>Modes ({@code --modes}, comma-separated):
 * <ul>
 *   <li>{@code off}: {@code -Xshare:off}, no class-data sharing at all;
 *   <li>{@code default}: plain {@code java -jar}: the JDK's own archive of JDK classes only;
 *   <li>{@code app}: an AppCDS archive of this command's classes, made first by a training run with
 *       {@code -XX:ArchiveClassesAtExit} and used with {@code -XX:SharedArchiveFile};
 *   <li>{@code launcher}: {@code cli/target/chat852}, the launcher the build writes beside the jar with the
 *       archive it made at package time (docs/cli.md, Start-up time).
 * </ul>
 *
 * Every launch must exit 0, write nothing on stderr and print the same answer as the first one, or the
 * program stops with what differed. The command after {@code --} replaces the default
 * {@code chat --offline --speed 0 hi} ({@code --speed 0}: the recording's own pause before its first
 * piece would otherwise be in every figure).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.chat852.bench.StartupTime --runs 21 --modes off,default,app,launcher
 * </pre>
 */
public final class StartupTime {
    static final List<String> MODES = List.of("off", "default", "app", "launcher");

    private StartupTime() {
    }

    static final class Options {
        int runs = 21;
        List<String> modes = List.of("default", "app", "launcher");
        Path jar = Path.of("cli/target/chat852.jar");
        Path launcher = Path.of("cli/target/chat852");
        Path javaHome = Path.of(System.getProperty("java.home"));
        List<String> command = List.of("chat", "--offline", "--speed", "0", "hi");

        static Options parse(String[] args) {
            Options o = new Options();
            int rest = OptionPairs.read(args, (name, v) -> {
                switch (name) {
                    case "--runs": o.runs = Integer.parseInt(v); return true;
                    case "--modes": o.modes = List.of(v.split(",")); return true;
                    case "--jar": o.jar = Path.of(v); return true;
                    case "--launcher": o.launcher = Path.of(v); return true;
                    case "--java-home": o.javaHome = Path.of(v); return true;
                    default: return false;
                }
            });
            if (rest < args.length) {
                o.command = List.of(Arrays.copyOfRange(args, rest, args.length));
            }
            for (String mode : o.modes) {
                if (!MODES.contains(mode)) {
                    throw new IllegalArgumentException("unknown mode " + mode + "; modes are " + String.join(", ", MODES));
                }
            }
            if (o.runs < 1 || o.command.isEmpty()) {
                throw new IllegalArgumentException("--runs must be at least 1, and the command after -- not empty");
            }
            return o;
        }

        String java() {
            return javaHome.resolve("bin").resolve("java").toString();
        }

        /** The process to start for one launch in {@code mode}; {@code archive} is the {@code app} mode's. */
        List<String> commandLine(String mode, Path archive) {
            List<String> line = new ArrayList<>();
            switch (mode) {
                case "off": line.addAll(List.of(java(), "-Xshare:off", "-jar", jar.toString())); break;
                case "default": line.addAll(List.of(java(), "-jar", jar.toString())); break;
                case "app": line.addAll(List.of(java(), "-XX:SharedArchiveFile=" + archive, "-jar", jar.toString())); break;
                case "launcher": line.add(launcher.toString()); break;
                default: throw new IllegalArgumentException("unknown mode " + mode);
            }
            line.addAll(command);
            return line;
        }
    }

    /** One launch: nanoseconds from start to the first stdout byte ({@code -1}: none) and to exit. */
    record Launch(long firstByteNanos, long exitNanos, int exit, byte[] stdout, String stderr) {
        /** Why this launch does not count, or null: a failure, or another answer than {@code expected}. */
        String problem(byte[] expected) {
            if (exit != 0) {
                return "exit " + exit + ", stderr: " + stderr.strip();
            }
            if (!stderr.isEmpty()) {
                return "stderr not empty: " + stderr.strip();
            }
            if (stdout.length == 0) {
                return "nothing on stdout";
            }
            if (expected != null && !Arrays.equals(stdout, expected)) {
                return "another answer: " + new String(stdout, StandardCharsets.UTF_8);
            }
            return null;
        }
    }

    public static void main(String[] args) throws IOException {
        Options o = Options.parse(args);
        if (!Files.isRegularFile(o.jar)) {
            throw new IllegalArgumentException(o.jar + " does not exist: build it first (./mvnw -B package -pl cli -am"
                    + " -DskipTests), and run this from the repository root");
        }
        if (o.modes.contains("launcher") && !Files.isExecutable(o.launcher)) {
            throw new IllegalArgumentException(o.launcher + " does not exist or cannot run: the cli build writes it"
                    + " (Unix only), or leave out the launcher mode");
        }
        Path work = Files.createTempDirectory("chat852-startup");
        Path archive = work.resolve("app.jsa");
        try {
            System.out.printf(Locale.ROOT, "# StartupTime: %s, %d launches per mode after 1 discarded; first byte on"
                            + " stdout (a pipe); JDK %s at %s; %d cores%n", String.join(" ", o.command), o.runs,
                    System.getProperty("java.vm.version"), o.javaHome, Runtime.getRuntime().availableProcessors());
            byte[] expected = null;
            if (o.modes.contains("app")) {
                expected = train(o, archive, work);
            }
            if (o.modes.contains("launcher")) {
                checkLauncher(o, work);
            }
            Map<String, long[]> first = new LinkedHashMap<>();
            Map<String, long[]> exit = new LinkedHashMap<>();
            for (String mode : o.modes) {
                expected = checked(mode, launch(o.commandLine(mode, archive), javaHome(o), work), expected);
                first.put(mode, new long[o.runs]);
                exit.put(mode, new long[o.runs]);
            }
            for (int run = 0; run < o.runs; run++) {
                for (String mode : o.modes) {
                    Launch l = launch(o.commandLine(mode, archive), javaHome(o), work);
                    checked(mode, l, expected);
                    first.get(mode)[run] = l.firstByteNanos();
                    exit.get(mode)[run] = l.exitNanos();
                }
            }
            System.out.println("| mode | launches | first byte ms, median / p90 | min / max | exit ms, median / p90 |");
            for (String mode : o.modes) {
                long[] f = sorted(first.get(mode));
                long[] e = sorted(exit.get(mode));
                System.out.printf(Locale.ROOT, "| %s | %d | %s / %s | %s / %s | %s / %s |%n", mode, o.runs,
                        ms(MockLoad.pct(f, 0.5)), ms(MockLoad.pct(f, 0.9)), ms(f[0]), ms(f[f.length - 1]),
                        ms(MockLoad.pct(e, 0.5)), ms(MockLoad.pct(e, 0.9)));
            }
            // Against plain java -jar where it ran: what a user has without doing anything.
            String base = o.modes.contains("default") ? "default" : o.modes.get(0);
            long baseMedian = MockLoad.pct(sorted(first.get(base)), 0.5);
            for (String mode : o.modes) {
                if (mode.equals(base)) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "# first byte, median: %s %+d ms against %s%n", mode,
                        Math.round((MockLoad.pct(sorted(first.get(mode)), 0.5) - baseMedian) / 1e6), base);
            }
        } finally {
            Files.deleteIfExists(archive);
            Files.deleteIfExists(work.resolve("stderr"));
            Files.deleteIfExists(work);
        }
    }

    /** The training run that writes the app archive, then a launch that must map it ({@code -Xshare:on}). */
    private static byte[] train(Options o, Path archive, Path work) throws IOException {
        List<String> training = new ArrayList<>(List.of(o.java(), "-XX:ArchiveClassesAtExit=" + archive, "-jar",
                o.jar.toString()));
        training.addAll(o.command);
        Launch l = launch(training, javaHome(o), work);
        if (l.exit() != 0 || !Files.isRegularFile(archive)) {
            throw new IllegalStateException("the training run made no archive: exit " + l.exit() + ", " + l.stderr().strip());
        }
        List<String> strict = new ArrayList<>(o.commandLine("app", archive));
        strict.add(1, "-Xshare:on"); // fails instead of running without the archive
        return checked("app (-Xshare:on)", launch(strict, javaHome(o), work), null);
    }

    /**
     * The launcher must map its archive with this JDK ({@code -Xshare:on} fails otherwise), or its figures
     * would be those of plain {@code java -jar}: the archive is the JDK's that built the cli.
     */
    private static void checkLauncher(Options o, Path work) {
        Map<String, String> env = Map.of("JAVA_HOME", o.javaHome.toString(), "JAVA_TOOL_OPTIONS", "-Xshare:on");
        Launch l = launch(o.commandLine("launcher", null), env, work);
        if (l.exit() != 0) {
            throw new IllegalStateException(o.launcher + " cannot map its archive with the JDK at " + o.javaHome
                    + " (build the cli with this JDK, or give --java-home the build's): " + l.stderr().strip());
        }
    }

    private static byte[] checked(String mode, Launch l, byte[] expected) {
        String problem = l.problem(expected);
        if (problem != null) {
            throw new IllegalStateException("mode " + mode + ": " + problem);
        }
        return l.stdout();
    }

    /** {@code JAVA_HOME} for every launch: the launcher runs the JDK the others run. */
    private static Map<String, String> javaHome(Options o) {
        return Map.of("JAVA_HOME", o.javaHome.toString());
    }

    /** Starts the command with these environment variables, stdout a pipe, stderr to a file in {@code work}. */
    static Launch launch(List<String> command, Map<String, String> environment, Path work) {
        Path err = work.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
        builder.environment().putAll(environment);
        try {
            long start = System.nanoTime();
            Process p = builder.start();
            p.getOutputStream().close();
            try (InputStream out = p.getInputStream()) {
                int b = out.read();
                long firstByte = b < 0 ? -1 : System.nanoTime() - start;
                byte[] rest = out.readAllBytes();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("still running after 60 s: " + String.join(" ", command));
                }
                long exited = System.nanoTime() - start;
                byte[] stdout = new byte[rest.length + (b < 0 ? 0 : 1)];
                if (b >= 0) {
                    stdout[0] = (byte) b;
                }
                System.arraycopy(rest, 0, stdout, b < 0 ? 0 : 1, rest.length);
                return new Launch(firstByte, exited, p.exitValue(), stdout, Files.readString(err, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static long[] sorted(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        return s;
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.0f", nanos / 1e6);
    }
}
