package dev.chat852.testkit;

import java.io.ByteArrayOutputStream;
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
import java.util.List;

/**
 * A hostile HTTP client on raw sockets, for servers under test (the mock, the recorder): it sends what a
 * well-behaved client never would (garbage, a body larger than announced or than allowed, a head that
 * never ends) and reads whatever comes back, every wait bounded.
 *
 * <pre>{@code
 * HostileClient.Reply reply = HostileClient.send(server.baseUri(), "GARBAGE\r\n\r\n".getBytes(), Duration.ofSeconds(5));
 * assertThat(reply.statusLine()).startsWith("HTTP/1.1 400");
 * }</pre>
 */
public final class HostileClient {
    /** Most bytes a reply is read to: a hostile test never keeps an endless answer. */
    public static final int MAX_REPLY_BYTES = 1 << 20;

    private HostileClient() {
    }

    /** What came back: the bytes read (at most {@link #MAX_REPLY_BYTES}), and how reading ended. */
    public record Reply(byte[] bytes, boolean closedByServer, boolean timedOut) {
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
    public static Reply send(URI base, byte[] bytes, Duration wait) throws IOException {
        try (Socket socket = open(base)) {
            try {
                write(socket, bytes);
            } catch (SocketException e) {
                // the server closed before all was written: read what it said
            }
            return read(socket, wait);
        }
    }

    /**
     * A POST to {@code path} announcing {@code contentLength} bytes of body, then sending filler until the
     * server stops reading or closes (at most {@code contentLength}); returns the reply.
     */
    public static Reply oversizeBody(URI base, String path, long contentLength, Duration wait) throws IOException {
        try (Socket socket = open(base)) {
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + contentLength + "\r\n\r\n";
            byte[] filler = new byte[64 * 1024];
            java.util.Arrays.fill(filler, (byte) 'x');
            try {
                write(socket, head.getBytes(StandardCharsets.ISO_8859_1));
                for (long sent = 0; sent < contentLength; sent += filler.length) {
                    socket.getOutputStream().write(filler, 0, (int) Math.min(filler.length, contentLength - sent));
                }
                socket.getOutputStream().flush();
            } catch (SocketException e) {
                // the server refused the rest: expected
            }
            return read(socket, wait);
        }
    }

    /**
     * Opens {@code count} connections that each send half a request head and then nothing: the server
     * must not keep a thread or a buffer per one. The caller closes them.
     */
    public static List<Socket> halfOpen(URI base, int count) throws IOException {
        List<Socket> sockets = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                Socket s = open(base);
                write(s, "POST /api/light/chat/createChatCompletion HTTP/1.1\r\nHost: x\r\nContent-Le"
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
    public static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static Socket open(URI base) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static void write(Socket socket, byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    private static Reply read(Socket socket, Duration wait) throws IOException {
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
