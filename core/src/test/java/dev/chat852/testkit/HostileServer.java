package dev.chat852.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scripted hostile HTTP peer on loopback, for the hostile-peer suite: it reads each request's head and
 * body, then runs a {@link Script} that may break every rule (an endless body or header block, a header
 * line of megabytes, wrong lengths, chunked garbage, silence, one byte a second, a reset). Every loop a
 * script runs is bounded in bytes or time, so a test stops by itself even if the client never gives up.
 *
 * <pre>{@code
 * try (HostileServer server = HostileServer.start(peer -> {
 *     peer.head(200, "Transfer-Encoding: chunked");
 *     peer.repeatChunks("x".repeat(8192).getBytes(), 200L << 20);   // until the client hangs up
 * })) {
 *     client.stream(...)   // at server.uri()
 * }
 * }</pre>
 */
public final class HostileServer implements AutoCloseable {
    /** What the server does on a connection once it has read a request. */
    @FunctionalInterface
    public interface Script {
        void play(Peer peer) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Script script;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final Thread acceptor;

    private HostileServer(Script script) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        this.acceptor = new Thread(this::accept, "hostile-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
    }

    /** Listens on a free loopback port; every connection gets {@code script} after its request. */
    public static HostileServer start(Script script) throws IOException {
        HostileServer s = new HostileServer(script);
        s.acceptor.start();
        return s;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Body and head bytes written so far, on every connection. */
    public long bytesSent() {
        return sent.get();
    }

    /** The request lines received so far ({@code POST /path HTTP/1.1}). */
    public List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread t = new Thread(() -> serve(socket), "hostile-peer-" + socket.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            Peer peer = new Peer(socket);
            requestLines.add(peer.readRequest());
            script.play(peer);
        } catch (IOException e) {
            // the client went away, or the script reset the connection: both are what hostile tests expect
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    /** One connection, seen from the server's side. Every write is flushed at once. */
    public final class Peer {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Reads a request head (up to 64 KiB) and a Content-Length body (up to 1 MiB); returns its first line. */
        String readRequest() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4 && head.size() < 65_536) {
                int c = in.read();
                if (c < 0) {
                    throw new SocketException("closed before the end of the request head");
                }
                head.write(c);
                matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : c == '\r' ? 1 : 0;
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Math.min(1 << 20, Integer.parseInt(line.substring(15).trim()));
                }
            }
            in.readNBytes(length);
            return text.substring(0, Math.max(0, text.indexOf("\r\n")));
        }

        /** Writes bytes as they are. */
        public Peer raw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            sent.addAndGet(bytes.length);
            return this;
        }

        /** Writes ASCII text as it is (CRLFs included by the caller). */
        public Peer raw(String ascii) throws IOException {
            return raw(ascii.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** A status line and headers, then the blank line. */
        public Peer head(int status, String... headers) throws IOException {
            StringBuilder s = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
            for (String h : headers) {
                s.append(h).append("\r\n");
            }
            return raw(s.append("\r\n").toString());
        }

        /** One chunk of a chunked body. */
        public Peer chunk(byte[] data) throws IOException {
            raw((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            raw(data);
            return raw("\r\n");
        }

        /** The terminating chunk. */
        public Peer endChunks() throws IOException {
            return raw("0\r\n\r\n");
        }

        /**
         * Writes {@code piece} as one chunk after another until {@code maxBytes} have gone or the client
         * hangs up; returns the body bytes written.
         */
        public long repeatChunks(byte[] piece, long maxBytes) throws IOException {
            long written = 0;
            try {
                while (written < maxBytes) {
                    chunk(piece);
                    written += piece.length;
                }
            } catch (SocketException e) {
                // the client hung up: what an endless body must lead to
            }
            return written;
        }

        /** Writes {@code piece} over and over, unframed, until {@code maxBytes} or the client hangs up. */
        public long repeatRaw(byte[] piece, long maxBytes) throws IOException {
            long written = 0;
            try {
                while (written < maxBytes) {
                    raw(piece);
                    written += piece.length;
                }
            } catch (SocketException e) {
                // the client hung up
            }
            return written;
        }

        /** Writes {@code bytes} one at a time, {@code interval} apart, until done or the client hangs up. */
        public Peer drip(byte[] bytes, Duration interval) throws IOException, InterruptedException {
            for (byte b : bytes) {
                raw(new byte[] {b});
                Thread.sleep(interval.toMillis());
            }
            return this;
        }

        /**
         * Says nothing until the client hangs up or {@code atMost} passes; returns whether the client
         * hung up (so a test sees its timeout fire).
         */
        public boolean silence(Duration atMost) throws IOException {
            socket.setSoTimeout((int) atMost.toMillis());
            try {
                while (in.read() >= 0) {
                    // a client does not send more on this connection: discard
                }
                return true;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true;
            }
        }

        /** TCP RST instead of a clean close. */
        public void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }
    }
}
