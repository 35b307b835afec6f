package dev.chat852.cli;

import dev.chat852.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code chat852} command. Each subcommand is one class listed in {@code subcommands} below; it
 * gets its byte streams from {@link #streams()} and the process around it from {@link #environment()}
 * through a {@code @ParentCommand Main} field, and returns one of the {@link ExitCodes}.
 *
 * <pre>{@code
 * java -jar cli/target/chat852.jar parse docs/samples/stream-body.txt
 * int status = Main.run(in, out, err, "parse", "--format", "jsonl", "-");   // in-process
 * }</pre>
 *
 * <p>Nothing it prints contains the API token: messages from elsewhere (the server, picocli) pass
 * through {@link #redact} first.
 */
@Command(name = "chat852",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Chat with the xutongbao chat API, decode its start852/end852 stream format, and run a"
                + " local mock or recording proxy of it.",
        subcommands = {ChatCommand.class, ParseCommand.class, MockCommand.class, RecordCommand.class,
            CompletionCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    // Not Runnable on purpose: picocli then reports "Missing required subcommand" as a usage error.

    /** Secrets shorter than this are not searched for: replacing every "t" would garble messages. */
    static final int MIN_REDACTED_LENGTH = 4;
    static final String REDACTED = "[token]";

    private final Streams streams;
    private final Environment environment;
    private final List<String> secrets;

    private Main(Streams streams, Environment environment, String[] args) {
        this.streams = streams;
        this.environment = environment;
        this.secrets = secrets(environment, args);
    }

    /** Runs the command line and exits with its status. */
    public static void main(String... args) {
        int status = run(new Streams(System.in, System.out, System.err), Environment.ofProcess(), args);
        releaseIdleSelectorThreads();
        System.exit(status);
    }

    /**
     * Saves about 300 ms at exit after {@code chat --transport jdk}. On exit, HotSpot waits up to 300 ms
     * for threads that are in native code, and on Java 17 the JDK HTTP client's selector thread stays
     * in {@code epoll_wait} after its client is dropped (there is no {@code HttpClient.close()} before
     * Java 21), so every run would pay the full wait. The command has finished and closed its
     * transport: interrupting that thread makes it leave its selector loop and end.
     */
    private static void releaseIdleSelectorThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 8];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            String name = threads[i].getName();
            if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
                threads[i].interrupt();
            }
        }
    }

    /**
     * Runs the command line against the given streams and returns its exit status, without calling
     * {@code System.exit}. Everything chat852 writes is UTF-8, whatever the platform charset.
     *
     * @param in what {@code -} (standard input) reads
     * @param out where results go
     * @param err where diagnostics go
     * @param args the arguments after {@code chat852}
     * @return one of {@link ExitCodes}: 0 (success), 1 (internal error), 2 (usage), 3 (protocol error),
     *     4 (API error), 5 (transport or I/O error)
     */
    public static int run(InputStream in, PrintStream out, PrintStream err, String... args) {
        return run(new Streams(in, out, err), Environment.inProcess(), args);
    }

    /**
     * Runs the command line with the given environment. In-process runs get
     * {@link Environment#inProcess()}: the process's variables, no terminal, and no signal handling
     * ({@code mock} and {@code record} then serve until the calling thread is interrupted).
     */
    static int run(Streams streams, Environment environment, String... args) {
        CommandLine cmd = new CommandLine(new Main(streams, environment, args));
        cmd.setOut(utf8Writer(streams.out()));
        cmd.setErr(utf8Writer(streams.err()));
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setExpandAtFiles(false); // a prompt word such as @alice is text, never a file of options
        cmd.setParameterExceptionHandler(Main::usageError);
        cmd.setExecutionStrategy(parsed -> {
            List<CommandLine> commands = parsed.asCommandLineList();
            try (Logs.Route route = Logs.toCommandLine(commands.get(commands.size() - 1))) {
                return new CommandLine.RunLast().execute(parsed);
            }
        });
        return cmd.execute(args);
    }

    /** The streams subcommands read and write. */
    Streams streams() {
        return streams;
    }

    /** Environment variables, terminals, interrupts. */
    Environment environment() {
        return environment;
    }

    /**
     * Replaces every token this run knows of ({@code CHAT852_TOKEN}, {@code CHAT852_MOCK_TOKEN}, the
     * {@code --token} values on the command line) and every proxy password (in the proxy variables and
     * {@code --proxy} values) that is at least {@value #MIN_REDACTED_LENGTH} characters long by {@value #REDACTED}.
     */
    String redact(String message) {
        String result = message;
        for (String secret : secrets) {
            result = result.replace(secret, REDACTED);
        }
        return result;
    }

    /**
     * Prints {@code "<command>: <message>"} (token redacted) on the command's error writer: one line per
     * problem, whatever the message holds (a server's message with escape codes or line breaks is shown
     * with them as visible escapes: see {@link TerminalText}).
     */
    static void printError(CommandLine cmd, String message) {
        String text = cmd.getCommandSpec().qualifiedName() + ": " + TerminalText.oneLine(message);
        Object root = cmd.getCommandSpec().root().userObject();
        if (root instanceof Main) {
            text = ((Main) root).redact(text);
        }
        cmd.getErr().println(text);
        cmd.getErr().flush();
    }

    /** The tokens to keep out of messages, longest first (so one containing another is replaced whole). */
    private static List<String> secrets(Environment environment, String[] args) {
        List<String> found = new ArrayList<>();
        for (Dialect dialect : Dialect.values()) {
            if (environment.token(dialect) != null) {
                found.add(environment.token(dialect));
            }
        }
        String mockToken = environment.variables().get(MockCommand.TOKEN_VARIABLE);
        if (mockToken != null) {
            found.add(mockToken);
        }
        found.addAll(Proxies.passwords(environment.variables(), args));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--token") && i + 1 < args.length) {
                found.add(args[i + 1]);
            } else if (args[i].startsWith("--token=")) {
                found.add(args[i].substring("--token=".length()));
            }
        }
        found.removeIf(s -> s.length() < MIN_REDACTED_LENGTH);
        found.sort(Comparator.comparingInt(String::length).reversed());
        return List.copyOf(found);
    }

    /** A short usage error: the message and a pointer to --help, instead of picocli's full usage text. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String message = e.getMessage();
        printError(cmd, message.startsWith("Error: ") ? message.substring("Error: ".length()) : message);
        UnmatchedArgumentException.printSuggestions(e, cmd.getErr()); // option and command names only
        cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        cmd.getErr().flush();
        return ExitCodes.USAGE;
    }

    private static PrintWriter utf8Writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }

    /** Reads the version Maven wrote into {@code version.properties}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties properties = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"chat852 " + properties.getProperty("version", "(unknown version)")};
        }
    }
}
