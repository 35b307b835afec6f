package dev.chat852.cli;

import dev.chat852.mock.Fault;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.Rechunk;
import dev.chat852.mock.Recording;
import dev.chat852.protocol.ChatApi;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code chat852 mock}: serves recordings (by default the bundled demo) as the chat API, until Ctrl-C
 * or SIGTERM. Standard output gets exactly one line, {@code listening on http://HOST:PORT}, once the
 * port is open; everything else goes to stderr. Each option can also come from an environment variable
 * ({@link #VARIABLE_PREFIX}{@code NAME}), as the container image needs.
 *
 * <p>Options are read as strings and converted in {@link #call()}, so that building the command line
 * (for any subcommand) loads no mock-server or Netty class.
 */
@Command(name = "mock",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        sortOptions = false,
        description = {
            "Serves recorded answers as the chat API (POST " + ChatApi.PATH + ") until"
                    + " Ctrl-C or SIGTERM, replaying each recorded chunk at its recorded time.",
            "Prints one line on standard output when ready: listening on http://HOST:PORT"},
        footerHeading = "%nEnvironment:%n",
        footer = {
            "An option not on the command line is read from the variable " + MockCommand.VARIABLE_PREFIX
                    + "NAME, if set and not empty: " + MockCommand.VARIABLE_PREFIX + "HOST, _PORT, _RECORDINGS,"
                    + " _SPEED, _RECHUNK, _TOKEN, _FAULT. Several recordings or faults: comma-separated,"
                    + " e.g. " + MockCommand.VARIABLE_PREFIX + "FAULT=stall:100:2000,truncate:500."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:stopped by Ctrl-C or SIGTERM",
            "2:usage error: bad option, fault or re-chunking, a recording that is missing or invalid",
            "5:the address cannot be listened on (port in use, unknown host)"})
final class MockCommand implements Callable<Integer> {

    /** The default port: easy to remember next to the name. {@code --port 0} picks a free one. */
    static final int DEFAULT_PORT = 8520;

    /** {@code --speed} is also {@code CHAT852_MOCK_SPEED}, and so on: for containers, where arguments are awkward. */
    static final String VARIABLE_PREFIX = "CHAT852_MOCK_";

    /** The variable holding the token to require: kept out of every message, as {@code --token} is. */
    static final String TOKEN_VARIABLE = VARIABLE_PREFIX + "TOKEN";

    @ParentCommand
    private Main parent;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", paramLabel = "H",
            description = "The address to listen on. Default: 127.0.0.1; 0.0.0.0 for every interface.")
    private String host;

    @Option(names = "--port", paramLabel = "P",
            description = "The port. Default: " + DEFAULT_PORT + "; 0 picks a free one (see the ready line).")
    private String port;

    @Option(names = "--recordings", paramLabel = "DIR|FILE",
            description = "A recording file, or a folder of them (every *.json below it). Repeatable."
                    + " Default: the bundled demo recordings.")
    private List<String> recordings = new ArrayList<>();

    @Option(names = "--speed", paramLabel = "X",
            description = "Timing: 1 as recorded (default), 2 twice as fast, 0 no pauses.")
    private String speed;

    @Option(names = "--rechunk", paramLabel = "N|random:SEED|bytes",
            description = "Re-cut every body: N bytes per chunk, random sizes (random:SEED or random:SEED:MAX),"
                    + " or one byte per chunk. Default: as recorded.")
    private String rechunk;

    // No default value: help must never show a token.
    @Option(names = "--token", paramLabel = "T",
            description = "Require this token; a request without it gets {\"code\":401,\"message\":\"token无效\"}"
                    + " on HTTP 200. Default: no check.")
    private String token;

    @Option(names = "--fault", paramLabel = "SPEC",
            description = "Break every response: reset:N, stall:N:MS, truncate:N, status:CODE or delay:MS"
                    + " (N: body bytes sent first). Repeatable.")
    private List<String> faults = new ArrayList<>();

    @Override
    public Integer call() {
        MockServer.Builder builder = MockServer.builder().host(setting("--host", host, "127.0.0.1"));
        apply("--port", port, String.valueOf(DEFAULT_PORT), v -> builder.port(number("--port", v, Integer::parseInt,
                "a port number (0 to 65535; 0 picks a free one)")));
        apply("--speed", speed, "1", v -> builder.speed(number("--speed", v, Double::parseDouble,
                "a number (1 as recorded, 2 twice as fast, 0 no pauses)")));
        apply("--rechunk", rechunk, null, v -> builder.rechunk(Rechunk.parse(v)));
        for (String fault : settings("--fault", faults)) {
            use("--fault", fault, v -> builder.fault(Fault.parse(v)));
        }
        if (token != null && token.isEmpty()) {
            throw usage("Invalid value for option '--token': must not be empty");
        }
        apply("--token", token, null, builder::token);
        List<String> files = settings("--recordings", recordings);
        if (files.isEmpty()) {
            builder.recordings(Recording.demo());
        } else {
            for (String recording : files) {
                builder.recordings(read(recording));
            }
        }
        MockServer server;
        try {
            server = builder.build().start();
        } catch (UncheckedIOException e) {
            Main.printError(spec.commandLine(), describe(e));
            return ExitCodes.IO;
        }
        Main.printError(spec.commandLine(), parent.redact(server.toString()) + "; Ctrl-C to stop");
        return Serving.serve(new Serving.Server() {
            @Override
            public URI baseUri() {
                return server.baseUri();
            }

            @Override
            public void awaitClose() throws InterruptedException {
                server.awaitClose();
            }

            @Override
            public void close() {
                server.close();
            }
        }, parent.streams().out(), parent.environment().interrupts());
    }

    /** {@code CHAT852_MOCK_SPEED} for {@code --speed}. */
    static String variable(String option) {
        return VARIABLE_PREFIX + option.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The option's value from the command line, else from its variable (if not empty), else {@code otherwise}. */
    private String setting(String option, String given, String otherwise) {
        if (given != null) {
            return given;
        }
        String value = parent.environment().variables().get(variable(option));
        return value == null || value.isEmpty() ? otherwise : value;
    }

    /** A repeatable option's values from the command line, else its variable's, comma-separated. */
    private List<String> settings(String option, List<String> given) {
        String value = given.isEmpty() ? setting(option, null, null) : null;
        return value == null ? given : List.of(value.split(",", -1));
    }

    /** Feeds an option's value (command line, else variable, else {@code otherwise}; none: nothing) to {@code use}. */
    private void apply(String option, String given, String otherwise, Consumer<String> use) {
        String value = setting(option, given, otherwise);
        if (value != null) {
            use(option, value, use);
        }
    }

    /** A value {@code use} refuses (the parsers' messages name the forms) is a usage error, naming its variable. */
    private void use(String option, String value, Consumer<String> use) {
        try {
            use.accept(value);
        } catch (IllegalArgumentException e) {
            throw usage(given(option) ? "Invalid value for option '" + option + "': " + e.getMessage()
                    : variable(option) + ": " + e.getMessage());
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private <T> T number(String option, String value, Function<String, T> parser, String what) {
        try {
            return parser.apply(value.strip());
        } catch (NumberFormatException e) {
            throw usage("Invalid value for " + (given(option) ? "option '" + option + "'" : "environment variable "
                    + variable(option)) + ": '" + value + "' is not " + what);
        }
    }

    private List<Recording> read(String recording) {
        String option = given("--recordings") ? "--recordings" : variable("--recordings");
        Path path;
        try {
            path = Path.of(recording);
        } catch (InvalidPathException e) {
            throw usage(option + " '" + recording + "': invalid file name");
        }
        if (!Files.exists(path)) {
            throw usage(option + " '" + recording + "': no such file or folder");
        }
        try {
            List<Recording> found = Recording.readAll(path);
            if (found.isEmpty()) {
                throw usage(option + " '" + recording + "': no *.json recording in this folder");
            }
            return found;
        } catch (IllegalArgumentException e) { // names the file and the field
            throw usage(option + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw usage(option + " '" + recording + "': " + describe(e));
        }
    }

    /** The message and its cause's, e.g. "cannot listen on 127.0.0.1:8520: Address already in use". */
    static String describe(UncheckedIOException e) {
        String cause = e.getCause() == null ? null : e.getCause().getMessage();
        return e.getMessage() + (cause == null || e.getMessage().contains(cause) ? "" : ": " + cause);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
