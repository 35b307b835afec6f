package dev.chat852.cli;

import dev.chat852.ApiException;
import dev.chat852.Chat852Exception;
import dev.chat852.ChatClient;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatEvent;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.ChatTimeoutException;
import dev.chat852.Dialect;
import dev.chat852.HttpStatusException;
import dev.chat852.ProtocolException;
import dev.chat852.TransportException;
import dev.chat852.mock.MockServer;
import dev.chat852.protocol.ChatApi;
import dev.chat852.protocol.OpenAiApi;
import dev.chat852.spi.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code chat852 chat}: sends one prompt and prints the answer as it arrives, as text or as the same
 * JSON lines {@code parse --format jsonl} prints. {@code --offline} answers from the bundled demo
 * recordings through a mock server started in-process, so it needs no network and no token.
 *
 * <p>Classes of the transport not chosen are never loaded: the JDK transport starts faster, and Netty
 * stays untouched unless {@code --transport netty} (or {@code --offline}, whose mock runs on Netty).
 */
@Command(name = "chat",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        sortOptions = false,
        description = {
            "Sends PROMPT to the chat API and prints the answer as it arrives.",
            "The prompt is the PROMPT words joined by spaces. '-' as a word stands for standard input;"
                    + " with no PROMPT at all, standard input is read unless it is a terminal.",
            "The token comes from --token or the environment variable " + Environment.TOKEN_VARIABLE
                    + " (with --dialect openai: " + Environment.OPENAI_KEY_VARIABLE + "); --offline needs none."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the whole answer was printed",
            "2:usage error: bad option, no token, no prompt, --base-url with --offline",
            "3:protocol error: the response broke the stream format, is JSON that is not the API's,"
                    + " or is longer than the client's 16 MiB bound",
            "4:API error: the API answered with its error wrapper (bad token, quota, model ...)",
            "5:the server, the proxy or the connection failed: refused, reset, timed out (--max-time too),"
                    + " HTTP error status; or standard output failed",
            "130:interrupted by Ctrl-C (143: SIGTERM): the call was cancelled"})
final class ChatCommand implements Callable<Integer> {

    /** Output formats; names are matched case-insensitively. */
    enum Format { TEXT, JSONL }

    /** Transports; names are matched case-insensitively. */
    enum TransportChoice { JDK, NETTY }

    @ParentCommand
    private Main parent;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "The API's base URL; the API path is appended. Default: " + ChatApi.DEFAULT_BASE_URL
                    + " (with --dialect openai: " + OpenAiApi.DEFAULT_BASE_URL + ")")
    private String baseUrl;

    @Option(names = "--dialect", paramLabel = "852|openai",
            description = "The protocol: 852 (default), the xutongbao API; or openai, an OpenAI-compatible"
                    + " Chat Completions server (POST /v1/chat/completions, the key as Authorization: Bearer).")
    private String dialectName;

    private Dialect dialect = Dialect.CHAT852;

    // No default value and no ${DEFAULT-VALUE}: help must never show a token.
    @Option(names = "--token", paramLabel = "T",
            description = "The API token. Default: the environment variable " + Environment.TOKEN_VARIABLE
                    + " (preferable: a command line is visible to other users).")
    private String token;

    @Option(names = "--model", paramLabel = "M",
            description = "The model (default " + ChatApi.DEFAULT_MODEL + ", with --dialect openai "
                    + OpenAiApi.DEFAULT_MODEL + "); any name the API accepts.")
    private String model;

    @Option(names = "--transport", paramLabel = "jdk|netty",
            description = "The HTTP client: jdk (default: java.net.http; loads no Netty) or netty.")
    private TransportChoice transport = TransportChoice.JDK;

    @Option(names = "--format", paramLabel = "text|jsonl",
            description = "text (default): the answer text as it arrives; jsonl: one JSON object per event"
                    + " (header, text, then end or error), as 'parse --format jsonl' prints them.")
    private Format format = Format.TEXT;

    @Option(names = "--no-stream",
            description = "Ask for the whole answer at once (params.stream false) and print it when it is complete.")
    private boolean noStream;

    @Option(names = "--offline",
            description = "Answer from the bundled demo recordings, served by a mock started in this process"
                    + " on a free loopback port: no network, no token.")
    private boolean offline;

    @Option(names = "--speed", paramLabel = "X", converter = OptionValues.DecimalNumber.class,
            description = "With --offline: replay speed, 1 as recorded (default), 2 twice as fast, 0 no pauses.")
    private Double speed;

    @Option(names = "--retries", paramLabel = "N", converter = OptionValues.WholeNumber.class,
            description = "Try again, up to N times, when the call fails before any of the answer arrives"
                    + " (connection failures, HTTP 429, 502, 503, 504). Default: 0.")
    private int retries;

    @Mixin
    private TimeoutOptions timeouts = new TimeoutOptions();

    @Mixin
    private ProxyOptions proxies = new ProxyOptions();

    @Parameters(paramLabel = "PROMPT", arity = "0..*",
            description = "The prompt's words; '-' reads standard input in its place.")
    private List<String> words = new ArrayList<>();

    @Override
    public Integer call() {
        Streams streams = parent.streams();
        Environment environment = parent.environment();
        checkOptions();
        String apiToken = token != null ? token : environment.token(dialect);
        if (apiToken == null && !offline) {
            throw usage("no API token: pass --token T or set the environment variable "
                    + Environment.tokenVariable(dialect) + " (or try --offline, which needs none)");
        }
        String prompt;
        try {
            prompt = prompt(streams.in(), environment);
        } catch (IOException | UncheckedIOException e) {
            Main.printError(spec.commandLine(), "error reading standard input: " + e.getMessage());
            return ExitCodes.IO;
        }
        if (prompt.isBlank()) {
            throw usage("the prompt is empty");
        }

        if (transport == TransportChoice.JDK) {
            Warmup.tls(); // java.net.http builds its default SSLContext on first use, even for http://
        }
        MockServer mock = null;
        if (offline) {
            try {
                mock = OfflineMock.start(speed == null ? 1 : speed);
            } catch (RuntimeException e) {
                Main.printError(spec.commandLine(), "cannot start the offline mock server: " + e.getMessage());
                return ExitCodes.IO;
            }
        }
        Transport http = proxies.transport(transport == TransportChoice.NETTY, environment.variables(),
                offline ? null : baseUrl != null ? baseUrl : ChatApi.DEFAULT_BASE_URL);
        try {
            ChatClient.Builder builder = ChatClient.builder()
                    .dialect(dialect)
                    .transport(http)
                    .baseUrl(mock != null ? mock.baseUri().toString()
                            : baseUrl != null ? baseUrl : dialect.defaultBaseUrl())
                    .token(apiToken)
                    .retries(retries);
            timeouts.applyTo(builder);
            if (model != null) {
                builder.model(model);
            }
            ChatClient client;
            try {
                client = builder.build();
            } catch (IllegalArgumentException e) {
                throw usage("--base-url: " + e.getMessage());
            }
            try (client) {
                // A streamed answer is printed piece by piece, never read back whole: memory stays flat.
                ChatRequest request = ChatRequest.builder().user(prompt).keepText(noStream).build();
                ChatOutput output = format == Format.JSONL ? new ChatOutput.JsonLinesOutput(streams.out())
                        : new ChatOutput.TextOutput(streams.out(), environment.stdoutIsTerminal());
                return noStream ? complete(client, request, output) : stream(client, request, output);
            }
        } finally {
            http.close();
            if (mock != null) {
                mock.close();
            }
        }
    }

    private void checkOptions() {
        if (dialectName != null) {
            try {
                dialect = Dialect.of(dialectName);
            } catch (IllegalArgumentException e) {
                throw usage("Invalid value for option '--dialect': " + e.getMessage());
            }
        }
        if (offline && baseUrl != null) {
            throw usage("--base-url cannot be used with --offline, which serves the demo recordings locally");
        }
        if (speed != null && !offline) {
            throw usage("--speed applies to --offline only");
        }
        if (speed != null && (!(speed >= 0) || speed.isInfinite())) {
            throw usage("Invalid value for option '--speed': must be a finite number >= 0, was " + speed);
        }
        if (retries < 0) {
            throw usage("Invalid value for option '--retries': must be >= 0, was " + retries);
        }
        if (model != null && model.isBlank()) {
            throw usage("Invalid value for option '--model': must not be empty");
        }
        if (token != null && token.isEmpty()) {
            throw usage("Invalid value for option '--token': must not be empty");
        }
        proxies.check(offline);
        if (words.stream().filter("-"::equals).count() > 1) {
            throw usage("'-' (standard input) may stand for one PROMPT word only");
        }
    }

    /**
     * The PROMPT words joined by spaces, '-' replaced by standard input; standard input alone when there
     * are no words and it is not a terminal. Line breaks at the end of standard input are dropped.
     */
    private String prompt(InputStream in, Environment environment) throws IOException {
        if (words.isEmpty()) {
            if (environment.stdinIsTerminal()) {
                throw usage("no prompt: give it as arguments, pipe it to standard input, or pass '-' to type it");
            }
            return Prompts.stdin(in);
        }
        return Prompts.join(words, in);
    }

    /** Streams the answer to {@code output}, piece by piece, each flushed as it arrives. */
    private int stream(ChatClient client, ChatRequest request, ChatOutput output) {
        ChatStream stream = client.stream(request);
        AtomicInteger interruptedWith = new AtomicInteger();
        Interrupts.Registration registration = timeouts.withMaxTime(parent.environment().interrupts()).onInterrupt(status -> {
            interruptedWith.set(status);
            stream.cancel(); // closes the connection; events() below then throws CancellationException
        });
        boolean completed = false;
        try {
            try (Stream<ChatEvent> events = stream.events()) {
                for (Iterator<ChatEvent> it = events.iterator(); it.hasNext(); ) {
                    ChatEvent event = it.next();
                    if (event instanceof ChatEvent.TextDelta) {
                        output.text(((ChatEvent.TextDelta) event).text());
                    } else if (event instanceof ChatEvent.HeaderReceived) {
                        output.header(((ChatEvent.HeaderReceived) event).header());
                    } else {
                        completed = true;
                        ending(output, ((ChatEvent.Completed) event).completion());
                    }
                    if (!output.flush()) {
                        stream.cancel();
                        return writeFailed();
                    }
                }
            } catch (CancellationException e) {
                return interrupted(output, interruptedWith.get());
            } catch (Chat852Exception e) {
                return interruptedWith.get() != 0 ? interrupted(output, interruptedWith.get()) : failed(output, e, client);
            }
            // A stream cancelled before it was consumed may simply end: it still was interrupted.
            return !completed && interruptedWith.get() != 0 ? interrupted(output, interruptedWith.get()) : ExitCodes.OK;
        } finally {
            registration.close();
        }
    }

    /** Waits for the whole answer ({@code params.stream} false), then prints it. */
    private int complete(ChatClient client, ChatRequest request, ChatOutput output) {
        CompletableFuture<ChatCompletion> call = client.completeAsync(request); // started before it can be interrupted
        AtomicInteger interruptedWith = new AtomicInteger();
        Interrupts.Registration registration = timeouts.withMaxTime(parent.environment().interrupts()).onInterrupt(status -> {
            interruptedWith.set(status);
            client.close(); // fails the running call and closes its connection
        });
        try {
            ChatCompletion completion;
            try {
                completion = call.join();
            } catch (CompletionException | CancellationException e) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (interruptedWith.get() != 0) {
                    return interrupted(output, interruptedWith.get());
                }
                if (cause instanceof Chat852Exception) {
                    return failed(output, (Chat852Exception) cause, client);
                }
                throw e;
            }
            completion.header().ifPresent(output::header);
            if (!completion.text().isEmpty()) {
                output.text(completion.text());
            }
            ending(output, completion);
            return output.flush() ? ExitCodes.OK : writeFailed();
        } finally {
            registration.close();
        }
    }

    /** The end of the answer; for the OpenAI dialect, after its finish reason and usage when the server sent them. */
    private void ending(ChatOutput output, ChatCompletion completion) {
        if (dialect == Dialect.OPENAI) {
            output.details(completion.finishReason().orElse(null), completion.usage().map(ChatCompletion.Usage::json).orElse(null));
        }
        output.end();
    }

    private int failed(ChatOutput output, Chat852Exception e, ChatClient client) {
        int status;
        String message;
        if (e instanceof ApiException) {
            ApiException api = (ApiException) e;
            status = ExitCodes.API;
            message = "API error " + api.errorCode().or(api::type).orElse(String.valueOf(api.code())) + ": "
                    + api.serverMessage() + (api.httpStatus() == 200 ? "" : " (HTTP " + api.httpStatus() + ")");
        } else if (e instanceof TransportException || e instanceof ChatTimeoutException) {
            status = ExitCodes.IO;
            message = (e instanceof ChatTimeoutException ? timeouts.describe((ChatTimeoutException) e) : e.getMessage())
                    + " (" + withoutUserInfo(client.endpoint()) + ")";
        } else if (e instanceof HttpStatusException) {
            status = ExitCodes.IO;
            message = e.getMessage();
        } else if (e instanceof ProtocolException) {
            status = ExitCodes.PROTOCOL;
            message = "protocol error: " + e.getMessage();
        } else { // the server's JSON is not the API's wrapper, or too large: it broke the protocol too
            status = ExitCodes.PROTOCOL;
            message = "protocol error: " + e.getMessage();
        }
        message = parent.redact(message);
        output.error(message);
        output.flush();
        Main.printError(spec.commandLine(), message);
        return status;
    }

    /** Ctrl-C or SIGTERM ({@code status} 130 or 143), or {@code --max-time} ({@link TimeoutOptions#MAX_TIME_PASSED}). */
    private int interrupted(ChatOutput output, int status) {
        boolean late = status == TimeoutOptions.MAX_TIME_PASSED;
        String message = late ? timeouts.maxTimePassed() : "interrupted: the call was cancelled";
        output.error(message);
        output.flush();
        Main.printError(spec.commandLine(), message);
        return late ? ExitCodes.IO : status != 0 ? status : Interrupts.SIGINT_STATUS;
    }

    private int writeFailed() {
        Main.printError(spec.commandLine(), "error writing to standard output");
        return ExitCodes.IO;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The endpoint for messages, without any user:password part a base URL might carry. */
    private static String withoutUserInfo(URI uri) {
        if (uri.getUserInfo() == null) {
            return uri.toString();
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return uri.getScheme() + "://" + uri.getHost();
        }
    }
}
