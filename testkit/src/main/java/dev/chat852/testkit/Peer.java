package dev.chat852.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection of a {@link HostileServer}, seen from the server's side: it reads requests and writes
 * whatever the test wants, byte for byte, each write flushed at once (no Nagle delay). Reads are bounded
 * (a request head at 64 KiB, a body at 1 MiB), and so is every loop that writes.
 */
public final class Peer implements AutoCloseable {
    private static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_BODY = 1 << 20;

    /** A request as read: its first line, its headers (names lower case, the last of repeated ones) and body. */
    public record Request(String line, Map<String, String> headers, byte[] body, int connection) {
        /** The body as UTF-8. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final int index;
    private final InputStream in;
    private final OutputStream out;
    private final AtomicLong serverSent;
    private final AtomicLong bodyWritten = new AtomicLong();

    Peer(Socket socket, int index, AtomicLong serverSent) throws IOException {
        this.socket = socket;
        this.index = index;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.serverSent = serverSent;
    }

    /** 1 for the server's first connection, then 2, 3, … */
    public int index() {
        return index;
    }

    /**
     * Reads the next request: its head, and a body of its Content-Length; null if the client closed the
     * connection before one began.
     *
     * @throws IOException if the connection fails or closes inside a request, or the head passes 64 KiB
     */
    public Request readRequest() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new SocketException("closed before the end of the request head");
            }
            if (head.size() >= MAX_HEAD) {
                throw new IOException("a request head over " + MAX_HEAD + " bytes");
            }
            head.write(c);
            matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : c == '\r' ? 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        int length = Math.min(MAX_BODY, Integer.parseInt(headers.getOrDefault("content-length", "0").trim()));
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new SocketException("closed inside a request body: " + body.length + " of " + length + " bytes");
        }
        return new Request(lines[0], Collections.unmodifiableMap(headers), body, index);
    }

    private Peer write(byte[] bytes, boolean body) throws IOException {
        out.write(bytes);
        out.flush();
        serverSent.addAndGet(bytes.length);
        if (body) {
            bodyWritten.addAndGet(bytes.length);
        }
        return this;
    }

    /** Writes bytes as they are, counted as body bytes ({@link #bodyWritten()}). */
    public Peer raw(byte[] bytes) throws IOException {
        return write(bytes, true);
    }

    /** Writes text as it is (ISO-8859-1, CRLFs included by the caller), not counted as body. */
    public Peer raw(String text) throws IOException {
        return write(text.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    /** A status line and headers ({@code "Name: value"} each), then the blank line. */
    public Peer head(int status, String... headers) throws IOException {
        StringBuilder s = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        for (String h : headers) {
            s.append(h).append("\r\n");
        }
        return raw(s.append("\r\n").toString());
    }

    /** A head for a chunked body of this Content-Type. */
    public Peer chunkedHead(int status, String contentType) throws IOException {
        return head(status, "Content-Type: " + contentType, "Transfer-Encoding: chunked");
    }

    /** A 200 with a Content-Length body in one write, after the given headers. */
    public Peer fixed(byte[] body, String... headers) throws IOException {
        String[] all = new String[headers.length + 1];
        all[0] = "Content-Length: " + body.length;
        System.arraycopy(headers, 0, all, 1, headers.length);
        head(200, all);
        return raw(body);
    }

    /** One chunk of a chunked body, in one write. */
    public Peer chunk(byte[] data) throws IOException {
        ByteArrayOutputStream framed = new ByteArrayOutputStream(data.length + 12);
        framed.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        framed.writeBytes(data);
        framed.writeBytes(new byte[] {'\r', '\n'});
        write(framed.toByteArray(), false);
        bodyWritten.addAndGet(data.length);
        return this;
    }

    /** One chunk of UTF-8 text. */
    public Peer chunk(String text) throws IOException {
        return chunk(text.getBytes(StandardCharsets.UTF_8));
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

    /** Writes {@code bytes} one at a time, {@code interval} apart. */
    public Peer drip(byte[] bytes, Duration interval) throws IOException, InterruptedException {
        for (byte b : bytes) {
            raw(new byte[] {b});
            Thread.sleep(interval.toMillis());
        }
        return this;
    }

    /** Writes nothing for {@code millis} ms. */
    public Peer pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return this;
    }

    /**
     * Says nothing, reading and dropping what the client sends, until the client closes or resets the
     * connection or {@code atMost} passes; returns whether the client closed it (so a test sees its
     * timeout or cancel reach the network).
     */
    public boolean awaitClose(Duration atMost) throws IOException {
        socket.setSoTimeout((int) Math.max(1, atMost.toMillis()));
        try {
            while (in.read() >= 0) {
                // a client does not send more on this connection: discard
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset by the client
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(0);
            }
        }
    }

    /** Body bytes written so far on this connection: chunk data and {@link #raw(byte[])} bytes. */
    public long bodyWritten() {
        return bodyWritten.get();
    }

    /** TCP RST instead of a clean close. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Closes the connection (FIN). */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 500: return "Internal Server Error";
            default: return "X";
        }
    }
}
