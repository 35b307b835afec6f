package dev.chat852.cli;

import dev.chat852.Dialect;
import java.io.Console;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a command knows about the process around it besides its byte streams: environment variables,
 * whether standard input and output are terminals, and how it is interrupted. {@link #ofProcess()}
 * for {@code main}; tests and in-process callers pass their own.
 *
 * @param variables environment variables: {@code CHAT852_TOKEN}, {@code OPENAI_API_KEY}, and {@code mock}'s
 *     {@code CHAT852_MOCK_*}
 * @param stdinIsTerminal whether standard input is a terminal: {@code chat} with no prompt then
 *     refuses to wait for typing instead of reading it
 * @param stdoutIsTerminal whether standard output is a terminal: {@code chat} then ends its output
 *     with a newline
 * @param interrupts how Ctrl-C and SIGTERM reach a long-running command
 */
record Environment(Map<String, String> variables, boolean stdinIsTerminal, boolean stdoutIsTerminal,
                   Interrupts interrupts) {

    /** The environment variable {@code chat} reads the token from. */
    static final String TOKEN_VARIABLE = "CHAT852_TOKEN";
    /** The environment variable {@code chat --dialect openai} reads the key from. */
    static final String OPENAI_KEY_VARIABLE = "OPENAI_API_KEY";

    Environment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(interrupts, "interrupts");
    }

    /** The real process: its variables, terminals as detected, signals. */
    static Environment ofProcess() {
        return new Environment(System.getenv(), isTerminal(0), isTerminal(1), Interrupts.ofProcess());
    }

    /** In-process runs ({@link Main#run(java.io.InputStream, java.io.PrintStream, java.io.PrintStream, String...)}). */
    static Environment inProcess() {
        return new Environment(System.getenv(), false, false, Interrupts.NONE);
    }

    /** The token from {@code CHAT852_TOKEN}, or null if unset or empty. */
    String token() {
        return token(Dialect.CHAT852);
    }

    /** The token for {@code dialect}: {@code CHAT852_TOKEN}, or {@code OPENAI_API_KEY}; null if unset or empty. */
    String token(Dialect dialect) {
        String token = variables.get(tokenVariable(dialect));
        return token == null || token.isEmpty() ? null : token;
    }

    /** The variable that holds the token for {@code dialect}. */
    static String tokenVariable(Dialect dialect) {
        return dialect == Dialect.OPENAI ? OPENAI_KEY_VARIABLE : TOKEN_VARIABLE;
    }

    /**
     * Whether file descriptor {@code fd} (0 or 1) is a terminal, as well as Java 17 can tell without
     * native code. On Linux, {@code /proc/self/fd/N} names what the descriptor is ({@code /dev/pts/3},
     * {@code pipe:[…]}, a file, {@code /dev/null}), which tells a pipe or file from a terminal for each
     * stream separately. Elsewhere, {@link System#console()} (non-null only when both streams are
     * terminals, up to Java 21; {@code Console.isTerminal()} says so from Java 22). When in doubt: not a
     * terminal, so input is read rather than refused.
     */
    static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            if (Files.isSymbolicLink(link)) {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            }
        } catch (Exception e) {
            // No /proc (macOS, Windows) or not readable: fall back to the console.
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal"); // Java 22+
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 17-21: a console exists only when stdin and stdout are both terminals
        }
    }
}
