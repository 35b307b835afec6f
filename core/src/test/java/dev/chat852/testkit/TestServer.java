package dev.chat852.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chat852.testkit.KitResponse.Framing;
import dev.chat852.testkit.KitResponse.Gate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * A scriptable HTTP/1.1 server for transport tests, on raw sockets so that it controls every write and
 * flush: 127.0.0.1, an ephemeral port, one daemon thread per connection.
 *
 * <p>Each request gets the next {@linkplain #enqueue queued} {@link KitResponse}, else the
 * {@linkplain #dispatcher dispatcher}'s answer, else a 500 saying that nothing was scripted (and it is
 * listed in {@link #unmatchedRequests()}). It plays every part of a script: each chunk is one write and
 * flush (one HTTP chunk when chunked), headers go out as given (so a script may declare a wrong
 * {@code Content-Length} or its own {@code Transfer-Encoding}, and the server then adds none), and a
 * missing reason phrase is the usual one for the status.
 *
 * <pre>{@code
 * try (TestServer server = new TestServer()) {
 *     server.enqueue(KitResponse.builder()
 *             .chunk("start852{}end852")
 *             .pause(Duration.ofMillis(50))
 *             .chunk("你好")
 *             .stallForever()
 *             .build());
 *     // ... point a client at server.baseUrl() ...
 *     TestServer.Request request = server.takeRequest(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>While a response waits (pause, stall, gate, delayed status line), the server keeps reading the
 * socket, so a client that closes or resets the connection is seen at once ({@link Connection#closedByClient()}).
 * Connections are kept alive between requests unless the response or the request says otherwise.
 * {@link #close()} closes every socket and stops every thread of the server.
 */
public final class TestServer implements AutoCloseable {
    /** How often a waiting response checks whether the client has gone. */
    private static final int WATCH_SLICE_MILLIS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerSocket serverSocket;
    private final Thread acceptor;
    private final ConcurrentLinkedQueue<KitResponse> queue = new ConcurrentLinkedQueue<>();
    private volatile Function<Request, KitResponse> dispatcher;
    private final BlockingQueue<Request> requestsToTake = new LinkedBlockingQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Request> unmatched = new CopyOnWriteArrayList<>();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private volatile boolean closed;

    /** Starts a server on 127.0.0.1 and an ephemeral port. */
    public TestServer() throws IOException {
        serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        acceptor = new Thread(this::acceptLoop, "testserver-" + port() + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port the server listens on. */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Queues a response for the next request that arrives; queued responses go first, in order. */
    public TestServer enqueue(KitResponse response) {
        queue.add(Objects.requireNonNull(response, "response"));
        return this;
    }

    /** Answers requests when the queue is empty; may be called from many connection threads at once. */
    public TestServer dispatcher(Function<Request, KitResponse> dispatcher) {
        this.dispatcher = dispatcher;
        return this;
    }

    /** Waits for the next request not yet taken, in arrival order; fails if none arrives in time. */
    public Request takeRequest(Duration timeout) throws InterruptedException {
        Request r = requestsToTake.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("TestServer: no request arrived within " + timeout.toMillis() + " ms");
        }
        return r;
    }

    /** Every request received so far, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests that found no scripted response (they got a 500). */
    public List<Request> unmatchedRequests() {
        return List.copyOf(unmatched);
    }

    /** Every exchange (a request and the response being written to it), in arrival order. */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** Every connection accepted, in order. */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** How many connections have been accepted. */
    public int acceptedConnections() {
        return connections.size();
    }

    /** How many accepted connections are still open. */
    public int openConnections() {
        int open = 0;
        for (Connection c : connections) {
            if (!c.isClosed()) {
                open++;
            }
        }
        return open;
    }

    /** Closes the listening socket and every connection, and waits (briefly) for the server's threads to end. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Connection c : connections) {
            c.closeQuietly();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<Thread> all = new ArrayList<>(threads);
        all.add(acceptor);
        for (Thread t : all) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "TestServer{" + baseUrl() + ", connections=" + acceptedConnections() + ", open=" + openConnections()
                + ", requests=" + requests.size() + "}";
    }

    // ---- serving -----------------------------------------------------------------------------------

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return; // closed
            }
            Connection c = new Connection(connectionIds.incrementAndGet(), socket);
            connections.add(c);
            Thread t = new Thread(() -> serve(c), "testserver-" + port() + "-conn-" + c.id);
            t.setDaemon(true);
            threads.add(t);
            if (closed) {
                c.closeQuietly();
            }
            t.start();
        }
    }

    private void serve(Connection c) {
        try {
            c.socket.setTcpNoDelay(true);
            while (!closed) {
                Request request = c.readRequest();
                if (request == null) {
                    c.markClosed(true); // EOF between requests: the client closed an idle connection
                    return;
                }
                requests.add(request);
                requestsToTake.add(request);
                KitResponse response = responseFor(request);
                Exchange exchange = new Exchange(request, response, c);
                exchanges.add(exchange);
                boolean keepAlive = c.write(exchange);
                exchange.done = true;
                if (!keepAlive || "close".equalsIgnoreCase(request.header("connection"))) {
                    c.markClosed(false);
                    c.closeQuietly();
                    return;
                }
            }
        } catch (ClientGone e) {
            c.markClosed(true);
        } catch (IOException e) {
            c.markClosed(!closed);
        } catch (ServerAbort e) {
            c.markClosed(false);
        } catch (RuntimeException e) {
            c.markClosed(false);
            throw e;
        } finally {
            c.closeQuietly();
            threads.remove(Thread.currentThread());
        }
    }

    private KitResponse responseFor(Request request) {
        KitResponse r = queue.poll();
        if (r != null) {
            return r;
        }
        Function<Request, KitResponse> d = dispatcher;
        if (d != null) {
            try {
                r = d.apply(request);
            } catch (RuntimeException e) {
                return KitResponse.text(500, "TestServer: the dispatcher threw " + e);
            }
            if (r != null) {
                return r;
            }
        }
        unmatched.add(request);
        return KitResponse.text(500, "TestServer: no response scripted for " + request.method() + " "
                + request.path() + " (request #" + requests.size() + ")");
    }

    /** The client closed or reset the connection while the server was waiting or writing. */
    private static final class ClientGone extends IOException {
        private static final long serialVersionUID = 1L;

        ClientGone(String message) {
            super(message);
        }
    }

    /** The script ended the connection itself (reset or close step). */
    private static final class ServerAbort extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ServerAbort() {
            super(null, null, false, false);
        }
    }

    /** One accepted connection: what the tests can observe, and the server's reading and writing. */
    public final class Connection {
        private final int id;
        private final Socket socket;
        private final long acceptedAtNanos = System.nanoTime();
        private final AtomicInteger requestCount = new AtomicInteger();
        private volatile boolean isClosed;
        private volatile boolean byClient;
        private volatile long closedAtNanos;
        // connection thread only
        private final InputStream in;
        private final OutputStream out;
        private byte[] buf = new byte[8192];
        private int pos;
        private int lim;

        Connection(int id, Socket socket) {
            this.id = id;
            this.socket = socket;
            InputStream i = null;
            OutputStream o = null;
            try {
                i = socket.getInputStream();
                o = socket.getOutputStream();
            } catch (IOException e) {
                closeQuietly();
            }
            this.in = i;
            this.out = o;
        }

        /** 1 for the first connection accepted, then 2, … */
        public int id() {
            return id;
        }

        /** How many requests arrived on this connection. */
        public int requests() {
            return requestCount.get();
        }

        /** True once the connection is closed, by either side. */
        public boolean isClosed() {
            return isClosed;
        }

        /**
         * True if the client closed or reset the connection (EOF or reset seen on read, or a write
         * failed), false while open or if the server closed it (end of a close-delimited body, a
         * scripted reset or close, {@code Connection: close}, or {@link TestServer#close()}).
         */
        public boolean closedByClient() {
            return isClosed && byClient;
        }

        /** How long the connection was (or has been) open. */
        public Duration age() {
            long end = isClosed ? closedAtNanos : System.nanoTime();
            return Duration.ofNanos(end - acceptedAtNanos);
        }

        @Override
        public String toString() {
            return "Connection#" + id + (isClosed ? byClient ? " closed by the client" : " closed by the server"
                    : " open") + ", " + requests() + " request(s)";
        }

        void markClosed(boolean client) {
            if (!isClosed) {
                byClient = client;
                closedAtNanos = System.nanoTime();
                isClosed = true;
            }
        }

        void closeQuietly() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closing
            }
        }

        // ---- reading ----

        /** The next request, or null on a clean EOF before its first byte. */
        Request readRequest() throws IOException {
            String requestLine;
            do {
                requestLine = readLine();
                if (requestLine == null) {
                    return null;
                }
            } while (requestLine.isEmpty()); // tolerate stray CRLFs between requests
            String[] parts = requestLine.split(" ", 3);
            if (parts.length < 3) {
                throw new IOException("TestServer: bad request line: " + requestLine);
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            while (true) {
                String line = readLine();
                if (line == null) {
                    throw new ClientGone("EOF inside the request head");
                }
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("TestServer: bad header line: " + line);
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                headers.computeIfAbsent(name, k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
            }
            if ("100-continue".equalsIgnoreCase(first(headers, "expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            byte[] body;
            String te = first(headers, "transfer-encoding");
            String cl = first(headers, "content-length");
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                body = readChunkedBody();
            } else if (cl != null) {
                body = readFully(Integer.parseInt(cl.trim()));
            } else {
                body = new byte[0];
            }
            requestCount.incrementAndGet();
            return new Request(parts[0], parts[1], headers, body, id, requestCount.get());
        }

        private byte[] readChunkedBody() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine();
                if (sizeLine == null) {
                    throw new ClientGone("EOF inside a chunked request body");
                }
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    String trailer;
                    do {
                        trailer = readLine();
                    } while (trailer != null && !trailer.isEmpty());
                    return body.toByteArray();
                }
                body.writeBytes(readFully(size));
                readLine();
            }
        }

        private byte[] readFully(int n) throws IOException {
            byte[] b = new byte[n];
            int off = 0;
            while (off < n) {
                if (pos == lim && !fill()) {
                    throw new ClientGone("EOF inside a request body");
                }
                int take = Math.min(n - off, lim - pos);
                System.arraycopy(buf, pos, b, off, take);
                pos += take;
                off += take;
            }
            return b;
        }

        /** A line without its CRLF (or LF), ISO-8859-1; null on EOF before any byte. */
        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                if (pos == lim && !fill()) {
                    if (line.length() == 0) {
                        return null;
                    }
                    throw new ClientGone("EOF inside a line");
                }
                char ch = (char) (buf[pos++] & 0xff);
                if (ch == '\n') {
                    int len = line.length();
                    if (len > 0 && line.charAt(len - 1) == '\r') {
                        line.setLength(len - 1);
                    }
                    return line.toString();
                }
                line.append(ch);
                if (line.length() > 64 * 1024) {
                    throw new IOException("TestServer: request line or header longer than 64 KiB");
                }
            }
        }

        /** Reads more into the buffer (blocking); false on EOF. A reset is reported as {@link ClientGone}. */
        private boolean fill() throws IOException {
            if (pos == lim) {
                pos = 0;
                lim = 0;
            } else if (lim == buf.length) {
                if (pos > 0) {
                    System.arraycopy(buf, pos, buf, 0, lim - pos);
                    lim -= pos;
                    pos = 0;
                } else {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                }
            }
            int n;
            try {
                n = in.read(buf, lim, buf.length - lim);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                if (closed) {
                    throw e;
                }
                throw new ClientGone("read failed: " + e);
            }
            if (n < 0) {
                return false;
            }
            lim += n;
            return true;
        }

        /**
         * Waits up to {@code millis} ({@code < 0}: until the gate opens or forever) while watching the
         * socket: throws {@link ClientGone} as soon as the client closes or resets it.
         */
        private void waitWatching(long millis, Gate gate) throws IOException {
            long deadline = millis < 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            try {
                while (true) {
                    if (closed) {
                        throw new IOException("TestServer closed");
                    }
                    if (gate != null && gate.isOpen()) {
                        return;
                    }
                    long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    int slice = (int) Math.max(1, Math.min(WATCH_SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left)));
                    socket.setSoTimeout(slice);
                    try {
                        if (!fill()) {
                            throw new ClientGone("the client closed the connection while the response waited");
                        }
                        // bytes of a pipelined request: kept in the buffer for later
                    } catch (SocketTimeoutException e) {
                        // nothing from the client: still there
                    }
                }
            } finally {
                if (!socket.isClosed()) {
                    socket.setSoTimeout(0);
                }
            }
        }

        // ---- writing ----

        /** Writes the exchange's response; returns whether the connection may serve another request. */
        boolean write(Exchange ex) throws IOException {
            KitResponse r = ex.response;
            long delayMillis = r.stallBeforeStatus() ? -1 : r.delayBeforeStatus().toMillis();
            if (delayMillis != 0) {
                waitWatching(delayMillis, null);
            }
            if (r.sendBufferSize() > 0) {
                socket.setSendBufferSize(r.sendBufferSize());
            }
            Framing framing = r.framing();
            boolean closeAfter = r.closeAfter() || framing == Framing.CLOSE;
            StringBuilder head = new StringBuilder();
            head.append("HTTP/1.1 ").append(r.status()).append(' ')
                    .append(r.reason() != null ? r.reason() : reasonFor(r.status())).append("\r\n");
            boolean hasLength = false;
            boolean hasTe = false;
            for (String[] h : r.headers()) {
                head.append(h[0]).append(": ").append(h[1]).append("\r\n");
                hasLength |= h[0].equalsIgnoreCase("content-length");
                hasTe |= h[0].equalsIgnoreCase("transfer-encoding");
            }
            // A script's own Content-Length or Transfer-Encoding goes out as given: some cases lie on purpose.
            if (framing == Framing.CHUNKED && !hasTe) {
                head.append("Transfer-Encoding: chunked\r\n");
            } else if (framing == Framing.CONTENT_LENGTH && !hasLength) {
                head.append("Content-Length: ").append(r.contentLength()).append("\r\n");
            }
            if (closeAfter) {
                head.append("Connection: close\r\n");
            }
            head.append("\r\n");
            wire(r, head.toString().getBytes(StandardCharsets.UTF_8));
            for (KitResponse.Step step : r.steps()) {
                play(step, ex);
            }
            if (framing == Framing.CHUNKED) {
                wire(r, "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            return !closeAfter;
        }

        /** Plays one step of the script; waits watch the socket, so a client that goes is seen at once. */
        private void play(KitResponse.Step step, Exchange ex) throws IOException {
            if (step instanceof KitResponse.Chunk) {
                body(ex, ((KitResponse.Chunk) step).bytes());
            } else if (step instanceof KitResponse.Repeat) {
                KitResponse.Repeat repeat = (KitResponse.Repeat) step;
                byte[] unit = repeat.unit(); // written unit by unit: the body is never held whole
                long pauseMillis = repeat.pause().toMillis();
                for (long i = 0; i < repeat.times(); i++) {
                    body(ex, unit);
                    if (pauseMillis > 0) {
                        waitWatching(pauseMillis, null);
                    }
                }
            } else if (step instanceof KitResponse.Pause) {
                waitWatching(((KitResponse.Pause) step).duration().toMillis(), null);
            } else if (step instanceof KitResponse.StallForever) {
                waitWatching(-1, null);
            } else if (step instanceof KitResponse.AwaitGate) {
                waitWatching(-1, ((KitResponse.AwaitGate) step).gate());
            } else if (step instanceof KitResponse.Reset) {
                reset();
            } else if (step instanceof KitResponse.Close) {
                closeNow();
            } else {
                throw new IllegalArgumentException("unknown step " + step);
            }
        }

        /** Writes body bytes, framed, honouring the response's reset-after bound. */
        void body(Exchange ex, byte[] data) throws IOException {
            if (data.length == 0) {
                return;
            }
            KitResponse r = ex.response;
            int len = data.length;
            boolean resetAfter = false;
            if (r.resetAfterBodyBytes() >= 0) {
                long room = r.resetAfterBodyBytes() - ex.bodyBytesWritten.get();
                if (room < len) {
                    len = (int) Math.max(0, room);
                    resetAfter = true;
                }
            }
            if (len > 0) {
                if (r.framing() == Framing.CHUNKED) {
                    byte[] size = (Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                    byte[] framed = new byte[size.length + len + 2];
                    System.arraycopy(size, 0, framed, 0, size.length);
                    System.arraycopy(data, 0, framed, size.length, len);
                    framed[framed.length - 2] = '\r';
                    framed[framed.length - 1] = '\n';
                    wire(r, framed, ex, size.length, len);
                } else {
                    wire(r, java.util.Arrays.copyOf(data, len), ex, 0, len);
                }
            }
            if (resetAfter) {
                reset();
            }
        }

        private void wire(KitResponse r, byte[] bytes) throws IOException {
            wire(r, bytes, null, 0, 0);
        }

        /** Writes and flushes (byte by byte if asked), counting the body bytes in [bodyOff, bodyOff+bodyLen). */
        private void wire(KitResponse r, byte[] bytes, Exchange ex, int bodyOff, int bodyLen) throws IOException {
            try {
                if (r.byteByByte()) {
                    // parked, not watching the socket: the pause only spreads the bytes over several reads
                    long pauseNanos = r.bytePause().toNanos();
                    for (int i = 0; i < bytes.length; i++) {
                        if (pauseNanos > 0) {
                            LockSupport.parkNanos(pauseNanos);
                        }
                        out.write(bytes, i, 1);
                        out.flush();
                        if (ex != null && i >= bodyOff && i < bodyOff + bodyLen) {
                            ex.bodyBytesWritten.incrementAndGet();
                        }
                    }
                } else {
                    out.write(bytes);
                    out.flush();
                    if (ex != null) {
                        ex.bodyBytesWritten.addAndGet(bodyLen);
                    }
                }
            } catch (IOException e) {
                if (closed) {
                    throw e;
                }
                throw new ClientGone("write failed: " + e);
            }
        }

        /** Closes with SO_LINGER 0: the client sees a reset. */
        void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
            throw new ServerAbort();
        }

        /** Closes normally (FIN) in the middle of the response. */
        void closeNow() {
            closeQuietly();
            throw new ServerAbort();
        }
    }

    // ---- what tests see ----------------------------------------------------------------------------

    /** A request as received. Header names are lower case. */
    public static final class Request {
        private final String method;
        private final String path;
        private final Map<String, List<String>> headers;
        private final byte[] body;
        private final int connectionId;
        private final int sequence;
        private final JsonNode json;

        Request(String method, String path, Map<String, List<String>> headers, byte[] body, int connectionId,
                int sequence) {
            this.method = method;
            this.path = path;
            Map<String, List<String>> copy = new LinkedHashMap<>();
            headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            this.headers = Collections.unmodifiableMap(copy);
            this.body = body;
            this.connectionId = connectionId;
            this.sequence = sequence;
            JsonNode parsed;
            try {
                parsed = body.length == 0 ? null : JSON.readTree(body);
            } catch (IOException e) {
                parsed = null;
            }
            this.json = parsed;
        }

        public String method() {
            return method;
        }

        /** The request target as sent, e.g. {@code /api/light/chat/createChatCompletion}. */
        public String path() {
            return path;
        }

        /** All headers, names in lower case, values in order. */
        public Map<String, List<String>> headers() {
            return headers;
        }

        /** The first value of a header (any case), or null. */
        public String header(String name) {
            return first(headers, name.toLowerCase(Locale.ROOT));
        }

        public byte[] body() {
            return body.clone();
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body parsed as JSON, or null if it is empty or not JSON. */
        public JsonNode json() {
            return json;
        }

        /** {@link Connection#id()} of the connection it came on. */
        public int connectionId() {
            return connectionId;
        }

        /** 1 for the first request on its connection, 2 for the next (keep-alive), … */
        public int sequenceOnConnection() {
            return sequence;
        }

        /** The method, path and header names: the body may hold a token. */
        @Override
        public String toString() {
            return method + " " + path + " " + headers.keySet() + " (" + body.length + "-byte body)";
        }
    }

    /** A request and the response being written for it. */
    public static final class Exchange {
        private final Request request;
        private final KitResponse response;
        private final Connection connection;
        private final AtomicLong bodyBytesWritten = new AtomicLong();
        private volatile boolean done;

        Exchange(Request request, KitResponse response, Connection connection) {
            this.request = request;
            this.response = response;
            this.connection = connection;
        }

        public Request request() {
            return request;
        }

        public KitResponse response() {
            return response;
        }

        public Connection connection() {
            return connection;
        }

        /** Body bytes (without chunk framing) the server's socket writes have accepted so far. */
        public long bodyBytesWritten() {
            return bodyBytesWritten.get();
        }

        /** True once the whole response was written. */
        public boolean responseComplete() {
            return done;
        }
    }

    /** The usual reason phrase, for a script that gives none. */
    private static String reasonFor(int status) {
        switch (status) {
            case 200: return "OK";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 404: return "Not Found";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            default: return "Status";
        }
    }

    private static String first(Map<String, List<String>> headers, String lowerName) {
        List<String> values = headers.get(lowerName);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Compact JSON for a string, for building scripted bodies. */
    public static String jsonString(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
