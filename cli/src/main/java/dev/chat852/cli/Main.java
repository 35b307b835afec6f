package dev.chat852.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code chat852} command. Each subcommand is one class listed in {@code subcommands} below; it
 * gets its byte streams from {@link #streams()} through a {@code @ParentCommand Main} field and
 * returns one of the {@link ExitCodes}.
 *
 * <pre>{@code
 * java -jar cli/target/chat852.jar parse docs/samples/stream-body.txt
 * int status = Main.run(in, out, err, "parse", "--format", "jsonl", "-");   // in-process
 * }</pre>
 */
@Command(name = "chat852",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Tools for the xutongbao chat API and its start852/end852 stream format.",
        subcommands = {ParseCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    // Not Runnable on purpose: picocli then reports "Missing required subcommand" as a usage error.

    private final Streams streams;

    private Main(Streams streams) {
        this.streams = streams;
    }

    /** Runs the command line and exits with its status. */
    public static void main(String... args) {
        System.exit(run(System.in, System.out, System.err, args));
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
        CommandLine cmd = new CommandLine(new Main(new Streams(in, out, err)));
        cmd.setOut(utf8Writer(out));
        cmd.setErr(utf8Writer(err));
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setParameterExceptionHandler(Main::usageError);
        return cmd.execute(args);
    }

    /** The streams subcommands read and write. */
    Streams streams() {
        return streams;
    }

    /** Prints {@code "<command>: <message>"} on the command's error writer: one line per problem. */
    static void printError(CommandLine cmd, String message) {
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + message);
        cmd.getErr().flush();
    }

    /** A short usage error: the message and a pointer to --help, instead of picocli's full usage text. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String message = e.getMessage();
        printError(cmd, message.startsWith("Error: ") ? message.substring("Error: ".length()) : message);
        UnmatchedArgumentException.printSuggestions(e, cmd.getErr());
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
