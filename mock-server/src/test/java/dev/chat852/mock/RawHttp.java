package dev.chat852.mock;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chat852.mock.internal.Jsons;
import dev.chat852.protocol.ChatApi;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately small HTTP/1.1 client over a plain socket that shows what the wire carries: each
 * HTTP chunk separately with the time it arrived, and how the response ended (complete, cut short, or
 * reset). The JDK client hides all three.
 *
 * <p>Its static {@code sendRaw}, {@code oversizeBody} and {@code halfOpen} are the hostile client, for
 * the servers under test (the mock, the recorder): what a well-behaved client never sends (garbage, a
 * body larger than announced or than allowed, a head that never ends), whatever comes back read with
 * every wait bounded:
 *
 * <pre>{@code
 * RawHttp.Reply reply = RawHttp.sendRaw(server.baseUri(), "GARBAGE\r\n\r\n".getBytes(), Duration.ofSeconds(5));
 * assertThat(reply.statusLine()).startsWith("HTTP/1.1 400");
 * }</pre>
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final URI base;

    RawHttp(URI base) throws IOException {
        this.base = base;
        this.socket = new Socket(base.getHost(), base.getPort());
        this.socket.setSoTimeout(30_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** One request on a fresh connection, closed afterwards. */
    static Response post(URI base, String json) throws IOException {
        try (RawHttp http = new RawHttp(base)) {
            return http.send("POST", ChatApi.PATH, Map.of("Content-Type", "application/json"), json);
        }
    }

    /** A chat request body: {@code messages} alternate role, content. */
    static String chat(String model, String token, boolean stream, String... roleContent) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", model);
        if (token != null) {
            body.put("token", token);
        }
        ArrayNode messages = body.putArray("messages");
        for (int i = 0; i < roleContent.length; i += 2) {
            messages.addObject().put("role", roleContent[i]).put("content", roleContent[i + 1]);
        }
        body.putObject("params").put("n", 1).put("stream", stream);
        return Jsons.write(body);
    }

    /** Sends a request on this connection (kept alive) and reads its response. */
    Response send(String method, String path, Map<String, String> headers, String body) throws IOException {
        return read(write(method, path, headers, body));
    }

    /** Reads the next response; {@code sentNanos} from {@link #write}. */
    Response readResponse(long sentNanos) {
        return read(sentNanos);
    }

    /** Writes a request without reading; returns when it was sent (System.nanoTime). */
    long write(String method, String path, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        head.append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        head.append("\r\n");
        long sent = System.nanoTime();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
        return sent;
    }

    private Response read(long sentNanos) {
        Response r = new Response(sentNanos);
        try {
            String status = line();
            r.headersNanos = System.nanoTime();
            String[] parts = status.split(" ", 3);
            r.status = Integer.parseInt(parts[1]);
            r.reason = parts.length > 2 ? parts[2] : "";
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                r.headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            if ("chunked".equalsIgnoreCase(r.headers.get("transfer-encoding"))) {
                while (true) {
                    String sizeLine = line();
                    int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                    long at = System.nanoTime();
                    if (size == 0) {
                        line(); // no trailers from our servers
                        r.complete = true;
                        return r;
                    }
                    r.add(exactly(size), at);
                    if (!line().isEmpty()) {
                        throw new IOException("chunk not followed by CRLF");
                    }
                }
            } else if (r.headers.containsKey("content-length")) {
                int length = Integer.parseInt(r.headers.get("content-length"));
                if (length > 0) {
                    r.add(exactly(length), System.nanoTime());
                }
                r.complete = true;
            } else {
                // Neither chunked nor a length: the body ends when the server closes the connection.
                byte[] rest = in.readAllBytes();
                if (rest.length > 0) {
                    r.add(rest, System.nanoTime());
                }
                r.complete = true;
            }
        } catch (PartialBody e) {
            if (e.bytes.length > 0) {
                r.add(e.bytes, System.nanoTime());
            }
            r.complete = false;
            r.error = (IOException) e.getCause();
        } catch (EOFException e) {
            r.complete = false;
        } catch (IOException e) {
            r.error = e;
        }
        return r;
    }

    private byte[] exactly(int size) throws IOException {
        byte[] data = new byte[size];
        int at = 0;
        while (at < size) {
            int n;
            try {
                n = in.read(data, at, size - at);
            } catch (IOException e) {
                throw new PartialBody(java.util.Arrays.copyOf(data, at), e);
            }
            if (n < 0) {
                // Keep what did arrive: a truncated body's bytes count.
                throw new PartialBody(java.util.Arrays.copyOf(data, at), null);
            }
            at += n;
        }
        return data;
    }

    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed");
            }
            if (b == '\n') {
                String s = buf.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            buf.write(b);
        }
    }

    /** Whether the server closed this connection (reads end of stream). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A chunk cut short, by end of stream ({@code cause} null) or by an error such as a reset. */
    private static final class PartialBody extends IOException {
        private static final long serialVersionUID = 1L;
        final transient byte[] bytes;

        PartialBody(byte[] bytes, IOException cause) {
            super("connection ended mid-chunk", cause);
            this.bytes = bytes;
        }
    }

    /** What came back. */
    static final class Response {
        final long sentNanos;
        long headersNanos;
        int status;
        String reason;
        final Map<String, String> headers = new LinkedHashMap<>();
        final List<byte[]> chunks = new ArrayList<>();
        final List<Long> arrivals = new ArrayList<>();
        /** Ended as HTTP says it should: terminating chunk, or all Content-Length bytes. */
        boolean complete;
        /** The connection failed, e.g. reset; null if it did not. */
        IOException error;

        Response(long sentNanos) {
            this.sentNanos = sentNanos;
        }

        void add(byte[] chunk, long at) {
            chunks.add(chunk);
            arrivals.add(at);
        }

        byte[] body() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            chunks.forEach(all::writeBytes);
            return all.toByteArray();
        }

        String text() {
            return new String(body(), StandardCharsets.UTF_8);
        }

        /** Milliseconds from the request to the arrival of chunk {@code i}. */
        long millisToChunk(int i) {
            return (arrivals.get(i) - sentNanos) / 1_000_000;
        }

        /** Milliseconds between the arrivals of chunks {@code i - 1} and {@code i}. */
        long gapMillis(int i) {
            return (arrivals.get(i) - arrivals.get(i - 1)) / 1_000_000;
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + chunks.size() + " chunks complete=" + complete + " error=" + error;
        }
    }

    // ---- the hostile client ----------------------------------------------------------------------

    /** Most bytes a reply is read to: a hostile test never keeps an endless answer. */
    static final int MAX_REPLY_BYTES = 1 << 20;

    /** What came back: the bytes read (at most {@link #MAX_REPLY_BYTES}), and how reading ended. */
    record Reply(byte[] bytes, boolean closedByServer, boolean timedOut) {
        /** The reply as ISO-8859-1 text (byte-exact). */
        public String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        /** The first line, or "" if nothing came. */
        public String statusLine() {
            String t = text();
            int end = t.indexOf("\r\n");
            return end < 0 ? t : t.substring(0, end);
        }
    }

    /** Opens a connection, writes {@code bytes}, and reads until the server closes or {@code wait} passes quietly. */
    static Reply sendRaw(URI base, byte[] bytes, Duration wait) throws IOException {
        try (Socket socket = openRaw(base)) {
            try {
                writeRaw(socket, bytes);
            } catch (SocketException e) {
                // the server closed before all was written: read what it said
            }
            return readRaw(socket, wait);
        }
    }

    /**
     * A POST to {@code path} announcing {@code contentLength} bytes of body, then sending filler until the
     * server stops reading or closes (at most {@code contentLength}); returns the reply.
     */
    static Reply oversizeBody(URI base, String path, long contentLength, Duration wait) throws IOException {
        try (Socket socket = openRaw(base)) {
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + contentLength + "\r\n\r\n";
            byte[] filler = new byte[64 * 1024];
            java.util.Arrays.fill(filler, (byte) 'x');
            try {
                writeRaw(socket, head.getBytes(StandardCharsets.ISO_8859_1));
                for (long sent = 0; sent < contentLength; sent += filler.length) {
                    socket.getOutputStream().write(filler, 0, (int) Math.min(filler.length, contentLength - sent));
                }
                socket.getOutputStream().flush();
            } catch (SocketException e) {
                // the server refused the rest: expected
            }
            return readRaw(socket, wait);
        }
    }

    /**
     * Opens {@code count} connections that each send half a request head and then nothing: the server
     * must not keep a thread or a buffer per one. The caller closes them.
     */
    static List<Socket> halfOpen(URI base, int count) throws IOException {
        List<Socket> sockets = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                Socket s = openRaw(base);
                writeRaw(s, "POST /api/light/chat/createChatCompletion HTTP/1.1\r\nHost: x\r\nContent-Le"
                        .getBytes(StandardCharsets.ISO_8859_1));
                sockets.add(s);
            }
        } catch (IOException e) {
            closeAll(sockets);
            throw e;
        }
        return sockets;
    }

    /** Closes every socket, ignoring failures. */
    static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static Socket openRaw(URI base) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static void writeRaw(Socket socket, byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    private static Reply readRaw(Socket socket, Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, Math.min(n, MAX_REPLY_BYTES - got.size()));
                if (got.size() >= MAX_REPLY_BYTES) {
                    return new Reply(got.toByteArray(), false, false);
                }
            }
            return new Reply(got.toByteArray(), true, false);
        } catch (SocketTimeoutException e) {
            return new Reply(got.toByteArray(), false, true);
        } catch (SocketException e) {
            return new Reply(got.toByteArray(), true, false); // reset
        }
    }
}
