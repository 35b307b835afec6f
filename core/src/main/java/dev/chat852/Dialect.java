package dev.chat852;

import dev.chat852.protocol.ChatApi;
import dev.chat852.protocol.OpenAiApi;
import java.util.Optional;

/**
 * The protocol a client speaks: how a request is encoded and how its answer is decoded. Both give the
 * same {@link ChatEvent}s, failures and {@link ChatCompletion}s. A client is built for one
 * ({@link ChatClient.Builder#dialect}); the mock server serves both, each on its own path.
 *
 * <pre>{@code
 * ChatClient openAi = ChatClient.builder()
 *         .dialect(Dialect.OPENAI)                      // https://api.openai.com/v1/chat/completions
 *         .token(System.getenv("OPENAI_API_KEY"))       // sent as Authorization: Bearer …
 *         .build();
 * }</pre>
 */
public enum Dialect {
    /**
     * The xutongbao chat API (the default): the token in the JSON body, a raw text stream with
     * {@code start852…end852} header blocks ({@code docs/wire-format.md}).
     */
    CHAT852("852", ChatApi.DEFAULT_BASE_URL, ChatApi.PATH, ChatApi.DEFAULT_MODEL),
    /**
     * OpenAI-compatible Chat Completions: {@code POST /v1/chat/completions}, the key as
     * {@code Authorization: Bearer}, a Server-Sent Events stream of {@code chat.completion.chunk}s
     * ({@code docs/sse-dialect.md}).
     */
    OPENAI("openai", OpenAiApi.DEFAULT_BASE_URL, OpenAiApi.PATH, OpenAiApi.DEFAULT_MODEL);

    private final String id;
    private final String defaultBaseUrl;
    private final String path;
    private final String defaultModel;

    Dialect(String id, String defaultBaseUrl, String path, String defaultModel) {
        this.id = id;
        this.defaultBaseUrl = defaultBaseUrl;
        this.path = path;
        this.defaultModel = defaultModel;
    }

    /** Its name in recording files and on the command line: {@code 852} or {@code openai}. */
    public String id() {
        return id;
    }

    /** The public service a client talks to when no base URL is given. */
    public String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    /** The chat endpoint's path, appended to the base URL. */
    public String path() {
        return path;
    }

    /** The model a request that names none is sent with. */
    public String defaultModel() {
        return defaultModel;
    }

    /**
     * The dialect named {@code id} ({@code 852} or {@code openai}, any case).
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static Dialect of(String id) {
        for (Dialect d : values()) {
            if (d.id.equalsIgnoreCase(id.trim()) || d.name().equalsIgnoreCase(id.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dialect \"" + id + "\"; expected 852 or openai");
    }

    /** The dialect whose endpoint is {@code path}, if any. */
    public static Optional<Dialect> ofPath(String path) {
        for (Dialect d : values()) {
            if (d.path.equals(path)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
