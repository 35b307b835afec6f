package dev.chat852.transport.jdk;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A tiny HTTP/1.1 server on loopback that the test drives byte by byte: it accepts connections, and the
 * test reads requests and writes heads, chunks, raw bytes, resets and closes exactly when it wants, each
 * write flushed at once (no Nagle delay). Every wait is bounded.
 */
final class RawServer implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    private final ServerSocket server;
    private final BlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();
    private final List<Conn> all = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    RawServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "raw-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** The next connection a client opened. */
    Conn accept() throws InterruptedException {
        Conn c = accepted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            throw new AssertionError("no connection within " + WAIT);
        }
        return c;
    }

    /** A connection already waiting, or null: for checking that none was opened. */
    /**
     * On another thread: accepts one connection, reads one request and answers it with a chunked 200
     * {@code text/event-stream} of {@code body}, {@code chunkSize} bytes per chunk. Completes with the
     * request once answered.
     */
    CompletableFuture<Request> answerOnce(byte[] body, int chunkSize) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Conn conn = accept();
                Request request = conn.readRequest();
                conn.chunkedHead(200, "text/event-stream");
                for (int off = 0; off < body.length; off += chunkSize) {
                    conn.chunk(Arrays.copyOfRange(body, off, Math.min(body.length, off + chunkSize)));
                }
                conn.endChunks();
                return request;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    Conn acceptNow() {
        return accepted.poll();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                s.setSoTimeout((int) WAIT.toMillis());
                Conn c = new Conn(s);
                all.add(c);
                accepted.add(c);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Conn c : all) {
            c.close();
        }
        try {
            acceptor.join(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the client sent. */
    static final class Request {
        final String requestLine;
        final Map<String, String> headers;
        final byte[] body;

        Request(String requestLine, Map<String, String> headers, byte[] body) {
            this.requestLine = requestLine;
            this.headers = headers;
            this.body = body;
        }

        String body() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One accepted connection. */
    static final class Conn implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Reads one request: request line, headers, and a body of Content-Length bytes. */
        Request readRequest() throws IOException {
            String requestLine = line();
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            if (body.length != length) {
                throw new IOException("request body cut short: " + body.length + " of " + length);
            }
            return new Request(requestLine, headers, body);
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed in a request head");
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        /** Writes a status line and headers ("Name: value" each). */
        Conn head(int status, String... headers) throws IOException {
            StringBuilder s = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                    .append("\r\n");
            for (String h : headers) {
                s.append(h).append("\r\n");
            }
            return raw(s.append("\r\n").toString());
        }

        /** A head for a chunked body, with a Content-Type. */
        Conn chunkedHead(int status, String contentType) throws IOException {
            return head(status, "Content-Type: " + contentType, "Transfer-Encoding: chunked");
        }

        Conn chunk(String utf8) throws IOException {
            return chunk(utf8.getBytes(StandardCharsets.UTF_8));
        }

        Conn chunk(byte[] data) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(data);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            return raw(b.toByteArray());
        }

        /** The last chunk: the body ends. */
        Conn endChunks() throws IOException {
            return raw("0\r\n\r\n");
        }

        Conn raw(String ascii) throws IOException {
            return raw(ascii.getBytes(StandardCharsets.UTF_8));
        }

        Conn raw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            return this;
        }

        Conn pause(long millis) throws InterruptedException {
            Thread.sleep(millis);
            return this;
        }

        /**
         * Whether the client closed the connection within {@code wait}: a read sees end of stream or a
         * reset. Bytes still arriving are skipped.
         */
        boolean closedByClient(Duration wait) throws IOException {
            socket.setSoTimeout((int) wait.toMillis());
            try {
                while (in.read() >= 0) {
                    // skip
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true; // reset by the client
            }
        }

        /** Closes with a TCP reset instead of an orderly FIN. */
        void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String reason(int status) {
            switch (status) {
                case 200: return "OK";
                case 500: return "Internal Server Error";
                default: return "Status";
            }
        }
    }
}
