package dev.chat852.cli;

import dev.chat852.mock.Recorder;
import dev.chat852.protocol.ChatApi;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code chat852 record}: a recording proxy. Clients pointed at it reach the upstream as usual, and
 * every exchange is written as a recording file that {@code chat852 mock} replays. Standard output gets
 * only the ready line; each file written is reported on stderr.
 */
@Command(name = "record",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        sortOptions = false,
        description = {
            "Forwards chat requests to the upstream API, streams each answer back as it arrives, and writes"
                    + " one recording per exchange (chunk boundaries and timing kept) for 'chat852 mock'.",
            "The token is forwarded, never written. Runs until Ctrl-C or SIGTERM.",
            "Prints one line on standard output when ready: listening on http://HOST:PORT;"
                    + " then 'recorded FILE' on stderr for each recording."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:stopped by Ctrl-C or SIGTERM",
            "2:usage error: bad option, an upstream that is not an http(s) URL, an --out that cannot be created",
            "5:the address cannot be listened on (port in use, unknown host)"})
final class RecordCommand implements Callable<Integer> {

    /** Next to the mock's, so both can run at once. {@code --port 0} picks a free one. */
    static final int DEFAULT_PORT = 8521;

    @ParentCommand
    private Main parent;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--upstream", paramLabel = "URL",
            description = "The API to forward to (http or https, optionally with a path prefix)."
                    + " Default: " + ChatApi.DEFAULT_BASE_URL)
    private String upstream = ChatApi.DEFAULT_BASE_URL;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "The folder recordings are written to (created if missing).")
    private String out;

    @Option(names = "--host", paramLabel = "H", description = "The address to listen on. Default: 127.0.0.1.")
    private String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "P", converter = OptionValues.Port.class,
            description = "The port. Default: " + DEFAULT_PORT + "; 0 picks a free one (see the ready line).")
    private int port = DEFAULT_PORT;

    @Override
    public Integer call() {
        if (!upstream.contains("://")) { // the same hint as the client's for --base-url
            throw usage("--upstream must start with http:// or https://, such as http://" + upstream + "; was " + upstream);
        }
        URI upstreamUri;
        try {
            upstreamUri = URI.create(upstream);
        } catch (IllegalArgumentException e) {
            throw usage("--upstream: not a URL: " + upstream);
        }
        Path folder;
        try {
            folder = Path.of(out);
        } catch (InvalidPathException e) {
            throw usage("--out '" + out + "': invalid folder name");
        }
        PrintStream err = parent.streams().err();
        Recorder recorder;
        try {
            recorder = Recorder.builder()
                    .upstream(upstreamUri)
                    .output(folder)
                    .host(host)
                    .port(port)
                    .onRecorded(file -> {
                        err.println(spec.qualifiedName() + ": recorded " + file);
                        err.flush();
                    })
                    .build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        try {
            Files.createDirectories(folder); // now, rather than at the first recording, so a bad --out fails early
        } catch (IOException e) {
            throw usage("--out '" + out + "': cannot create the folder: " + e);
        }
        try {
            recorder.start();
        } catch (UncheckedIOException e) {
            Main.printError(spec.commandLine(), MockCommand.describe(e));
            return ExitCodes.IO;
        }
        Main.printError(spec.commandLine(), "forwarding to " + upstreamUri + ", writing recordings to " + folder
                + "; Ctrl-C to stop");
        return Serving.serve(new Serving.Server() {
            @Override
            public URI baseUri() {
                return recorder.baseUri();
            }

            @Override
            public void awaitClose() throws InterruptedException {
                recorder.awaitClose();
            }

            @Override
            public void close() {
                recorder.close();
            }
        }, parent.streams().out(), parent.environment().interrupts());
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
