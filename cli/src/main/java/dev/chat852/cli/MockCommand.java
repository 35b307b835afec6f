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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code chat852 mock}: serves recordings (by default the bundled demo) as the chat API, until Ctrl-C
 * or SIGTERM. Standard output gets exactly one line, {@code listening on http://HOST:PORT}, once the
 * port is open; everything else goes to stderr.
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
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:stopped by Ctrl-C or SIGTERM",
            "2:usage error: bad option, fault or re-chunking, a recording that is missing or invalid",
            "5:the address cannot be listened on (port in use, unknown host)"})
final class MockCommand implements Callable<Integer> {

    /** The default port: easy to remember next to the name. {@code --port 0} picks a free one. */
    static final int DEFAULT_PORT = 8520;

    @ParentCommand
    private Main parent;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", paramLabel = "H",
            description = "The address to listen on. Default: 127.0.0.1; 0.0.0.0 for every interface.")
    private String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "P",
            description = "The port. Default: " + DEFAULT_PORT + "; 0 picks a free one (see the ready line).")
    private int port = DEFAULT_PORT;

    @Option(names = "--recordings", paramLabel = "DIR|FILE",
            description = "A recording file, or a folder of them (every *.json below it). Repeatable."
                    + " Default: the bundled demo recordings.")
    private List<String> recordings = new ArrayList<>();

    @Option(names = "--speed", paramLabel = "X",
            description = "Timing: 1 as recorded (default), 2 twice as fast, 0 no pauses.")
    private double speed = 1;

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
        MockServer.Builder builder = MockServer.builder().host(host);
        try {
            builder.port(port).speed(speed);
            if (rechunk != null) {
                builder.rechunk(Rechunk.parse(rechunk));
            }
            for (String fault : faults) {
                builder.fault(Fault.parse(fault));
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (token != null) {
            if (token.isEmpty()) {
                throw usage("Invalid value for option '--token': must not be empty");
            }
            builder.token(token);
        }
        if (recordings.isEmpty()) {
            builder.recordings(Recording.demo());
        } else {
            for (String recording : recordings) {
                builder.recordings(read(recording));
            }
        }
        Logs.quietInfo();
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

    private List<Recording> read(String recording) {
        Path path;
        try {
            path = Path.of(recording);
        } catch (InvalidPathException e) {
            throw usage("--recordings '" + recording + "': invalid file name");
        }
        if (!Files.exists(path)) {
            throw usage("--recordings '" + recording + "': no such file or folder");
        }
        try {
            List<Recording> found = Recording.readAll(path);
            if (found.isEmpty()) {
                throw usage("--recordings '" + recording + "': no *.json recording in this folder");
            }
            return found;
        } catch (IllegalArgumentException e) { // names the file and the field
            throw usage("--recordings: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw usage("--recordings '" + recording + "': " + describe(e));
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
