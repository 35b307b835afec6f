package dev.chat852.transport.netty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A tiny HTTP/1.1 server on loopback, on plain sockets and one thread per connection, so a test
 * decides every byte, every flush, keep-alive, closes and resets. Requests on one connection are
 * answered in turn by the test's {@link Responder}.
 */
final class LocalHttpServer implements AutoCloseable {

    /** Answers one request; may write anything, keep the connection, close it or reset it. */
    @FunctionalInterface
    interface Responder {
        void respond(Request request, Conn conn) throws Exception;
    }

    /** What the server read: the request line, headers (names lower case) and body. */
    record Request(String line, Map<String, String> headers, byte[] body, int connection) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket server;
    private final Responder responder;
    private final AtomicInteger connections = new AtomicInteger();
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final List<Conn> open = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    LocalHttpServer(Responder responder) throws IOException {
        this(responder, null);
    }

    LocalHttpServer(Responder responder, SSLContext tls) throws IOException {
        this.responder = responder;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.server = tls == null ? new ServerSocket(0, 50, loopback)
                : tls.getServerSocketFactory().createServerSocket(0, 50, loopback);
        this.acceptor = new Thread(this::accept, "local-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** The next request received, waiting up to 5 s. */
    Request takeRequest() throws InterruptedException {
        Request r = requests.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request arrived within 5 s");
        }
        return r;
    }

    /** Responder failures other than the client going away. */
    List<Throwable> errors() {
        return errors;
    }

    private void accept() {
        while (!server.isClosed()) {
            Conn conn;
            try {
                conn = new Conn(server.accept(), connections.incrementAndGet());
            } catch (IOException e) {
                return;
            }
            open.add(conn);
            Thread t = new Thread(() -> serve(conn), "local-http-" + conn.index);
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Conn conn) {
        try (conn) {
            while (!conn.closed) {
                Request r = readRequest(conn);
                if (r == null) {
                    return;
                }
                requests.add(r);
                responder.respond(r, conn);
                conn.out.flush();
            }
        } catch (IOException e) {
            // the client closed or reset the connection
        } catch (Exception e) {
            errors.add(e);
        }
    }

    private static Request readRequest(Conn conn) throws IOException {
        String line = conn.readLine();
        if (line == null) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String h;
        while ((h = conn.readLine()) != null && !h.isEmpty()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = conn.in.readNBytes(length);
        return new Request(line, headers, body, conn.index);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Conn c : open) {
            c.close();
        }
    }

    /** One accepted connection, as the responder sees it. */
    static final class Conn implements AutoCloseable {
        final int index;
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private volatile boolean closed;
        /** Body bytes written so far, for back-pressure checks. */
        final AtomicInteger bodyWritten = new AtomicInteger();

        Conn(Socket socket, int index) throws IOException {
            this.socket = socket;
            this.index = index;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Status line and headers ({@code "Name: value"} each), flushed. */
        Conn head(int status, String... headers) throws IOException {
            StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(status == 200 ? " OK" : " Status")
                    .append("\r\n");
            for (String h : headers) {
                sb.append(h).append("\r\n");
            }
            out.write(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return this;
        }

        /** A 200 with a Content-Length body, in one write. */
        Conn fixed(byte[] body, String... headers) throws IOException {
            String[] all = new String[headers.length + 1];
            all[0] = "Content-Length: " + body.length;
            System.arraycopy(headers, 0, all, 1, headers.length);
            head(200, all);
            return raw(body);
        }

        /** Body bytes as they are, flushed. */
        Conn raw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            bodyWritten.addAndGet(bytes.length);
            return this;
        }

        /** One chunk of a chunked body, flushed. */
        Conn chunk(byte[] data) throws IOException {
            out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(data);
            out.write(new byte[] {'\r', '\n'});
            out.flush();
            bodyWritten.addAndGet(data.length);
            return this;
        }

        /** The last chunk, flushed. */
        Conn endChunks() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return this;
        }

        /**
         * Reads until the client closes its side; true if it did within {@code timeout}. Afterwards the
         * server stops serving this connection.
         */
        boolean awaitEof(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                while (in.read() != -1) {
                    // discard
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset: closed too
            } finally {
                closed = true;
            }
        }

        /** Closes with an RST instead of a FIN. */
        void reset() throws IOException {
            socket.setSoLinger(true, 0);
            close();
        }

        @Override
        public void close() throws IOException {
            closed = true;
            socket.close();
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
