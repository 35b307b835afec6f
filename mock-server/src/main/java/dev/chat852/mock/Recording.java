package dev.chat852.mock;

import dev.chat852.Dialect;
import dev.chat852.mock.internal.RecordingFiles;
import dev.chat852.mock.internal.RecordingJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One recorded exchange: a request matcher and the response to replay, in a {@link Dialect}: an 852
 * stream answers the 852 endpoint, an OpenAI-compatible (SSE) one answers {@code POST /v1/chat/completions}.
 * Immutable. The file format (JSON, one file per exchange) is described in {@code docs/mock-server.md}.
 *
 * <pre>{@code
 * Recording hello = Recording.builder()
 *         .name("hello")
 *         .request(RecordedRequest.builder().model("gpt-4").message("user", "你好").build())
 *         .response(RecordedResponse.builder().chunk(0, "start852{}end852").chunk(50, "你好！").build())
 *         .build();
 * List<Recording> fromDisk = Recording.readAll(Path.of("src/test/resources/recordings"));
 * }</pre>
 */
public final class Recording {
    private final String name;
    private final Dialect dialect;
    private final RecordedRequest request;
    private final RecordedResponse response;

    private Recording(String name, Dialect dialect, RecordedRequest request, RecordedResponse response) {
        this.name = Objects.requireNonNull(name, "name");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.request = Objects.requireNonNull(request, "request");
        this.response = Objects.requireNonNull(response, "response");
    }

    /** A builder: name {@code "unnamed"}, matching any request, with an empty 200 response. */
    public static Builder builder() {
        return new Builder();
    }

    /** A recording named {@code "unnamed"} that answers any request with {@code response}. */
    public static Recording of(RecordedResponse response) {
        return builder().response(response).build();
    }

    /** Parses a recording from its JSON form; {@code name} is used when the JSON has no {@code "name"}. */
    public static Recording parse(String json, String name) {
        return RecordingJson.parse(json, name);
    }

    /**
     * Reads one recording file; its name is the file name without {@code .json} unless the JSON has a
     * {@code "name"}.
     *
     * @throws IllegalArgumentException if the file is not a valid recording (the message names the file)
     * @throws UncheckedIOException if it cannot be read
     */
    public static Recording read(Path file) {
        return RecordingFiles.read(file);
    }

    /**
     * Reads a recording file, or every {@code *.json} file under a folder (recursively, in path order).
     */
    public static List<Recording> readAll(Path fileOrFolder) {
        return RecordingFiles.readAll(fileOrFolder);
    }

    /**
     * Reads every {@code *.json} resource under a classpath folder such as {@code "recordings"}, from
     * folders and jars alike, in path order.
     *
     * @throws IllegalArgumentException if the folder is not on the classpath or holds an invalid file
     */
    public static List<Recording> fromClasspath(String folder) {
        return RecordingFiles.fromClasspath(folder, Thread.currentThread().getContextClassLoader());
    }

    /**
     * The bundled demo recordings: {@code demo-zh} answers a request whose only message is the user's
     * {@code 你好}; {@code demo-en} answers any request. Both start with a header block, end with the
     * stray {@code undefined}, and are cut the way the real service cuts: a few characters a chunk,
     * some chunks splitting a Chinese character or a marker.
     */
    public static List<Recording> demo() {
        return RecordingFiles.demo(Dialect.CHAT852);
    }

    /**
     * The bundled demo recordings of {@code dialect}: {@link #demo()} for the 852 one; for
     * {@link Dialect#OPENAI}, {@code demo-openai-zh} (the user's {@code 你好}) and {@code demo-openai}
     * (any request), OpenAI-style event streams cut mid-line and mid-character, ending with usage and
     * {@code [DONE]}.
     */
    public static List<Recording> demo(Dialect dialect) {
        return RecordingFiles.demo(dialect);
    }

    /** The name: the file name without {@code .json}, or the {@code "name"} field. */
    public String name() {
        return name;
    }

    /** The protocol of the recorded answer, and so the endpoint it answers on (file field {@code dialect}, default 852). */
    public Dialect dialect() {
        return dialect;
    }

    /** Which requests this recording answers. */
    public RecordedRequest request() {
        return request;
    }

    /** The response to replay. */
    public RecordedResponse response() {
        return response;
    }

    /** The JSON form, as written to a recording file (one chunk per line). */
    public String toJson() {
        return RecordingJson.write(this);
    }

    /** Writes the JSON form to {@code file}, replacing it. */
    public void write(Path file) {
        try {
            RecordingFiles.writeAtomically(file, toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write recording " + file, e);
        }
    }

    /** A builder starting from this recording. */
    public Builder newBuilder() {
        return builder().name(name).dialect(dialect).request(request).response(response);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Recording && ((Recording) o).name.equals(name) && ((Recording) o).dialect == dialect
                && ((Recording) o).request.equals(request) && ((Recording) o).response.equals(response);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dialect, request, response);
    }

    @Override
    public String toString() {
        return name + (dialect == Dialect.CHAT852 ? "" : " [" + dialect.id() + "]") + " (" + request + " -> " + response + ")";
    }

    /** Builds a {@link Recording}; not thread-safe. */
    public static final class Builder {
        private String name = "unnamed";
        private Dialect dialect = Dialect.CHAT852;
        private RecordedRequest request = RecordedRequest.any();
        private RecordedResponse response = RecordedResponse.builder().build();

        private Builder() {
        }

        /** A name for messages and for the list of recordings in a 404. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The dialect of the response (default {@link Dialect#CHAT852}). */
        public Builder dialect(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /** The matcher (default: any request). */
        public Builder request(RecordedRequest request) {
            this.request = Objects.requireNonNull(request, "request");
            return this;
        }

        /** The response. */
        public Builder response(RecordedResponse response) {
            this.response = Objects.requireNonNull(response, "response");
            return this;
        }

        public Recording build() {
            return new Recording(name, dialect, request, response);
        }
    }
}
