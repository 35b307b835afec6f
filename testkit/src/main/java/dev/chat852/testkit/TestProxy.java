package dev.chat852.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy on loopback, one thread per direction: it tunnels ({@code CONNECT host:port}) and
 * forwards a request in absolute form ({@code POST http://host:port/path}), rewriting its request line
 * to the origin form and relaying the rest as it is (so one request per connection: a later one would
 * reach the server still in absolute form). It records each request line and {@code Proxy-Authorization}
 * value, can refuse them all with a status of the test's choosing, or can demand HTTP Basic credentials
 * (407 without them or with wrong ones) and, as a real proxy does, keep them from the server.
 */
public final class TestProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String refusal;
    /** The {@code Proxy-Authorization} value a request must carry, or null to let every request through. */
    private final String expectedAuthorization;
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /** A proxy that opens every tunnel and forwards every request asked of it. */
    public static TestProxy open() throws IOException {
        return new TestProxy(null, null);
    }

    /** A proxy that answers every request with {@code statusLine} (e.g. "407 Proxy Authentication Required"). */
    public static TestProxy refusing(String statusLine) throws IOException {
        return new TestProxy(statusLine, null);
    }

    /**
     * A proxy that serves only requests carrying {@code Proxy-Authorization: Basic} with this user and
     * password (UTF-8), and answers any other with 407 and {@code Proxy-Authenticate: Basic}.
     */
    public static TestProxy requiring(String user, String password) throws IOException {
        return new TestProxy(null, "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private TestProxy(String refusal, String expectedAuthorization) throws IOException {
        this.refusal = refusal;
        this.expectedAuthorization = expectedAuthorization;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept, "test-proxy-accept");
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    /** The request lines received, in order, e.g. {@code CONNECT 127.0.0.1:4711 HTTP/1.1}. */
    public List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    /** The {@code Proxy-Authorization} values received, in order; "" for a request without one. */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    private void accept() {
        try {
            while (true) {
                Socket client = server.accept();
                sockets.add(client);
                daemon(() -> serve(client), "test-proxy-conn");
            }
        } catch (IOException closed) {
            // close() ends the accept loop
        }
    }

    private void serve(Socket client) {
        try {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            String head = readHead(in);
            String line = head.substring(0, head.indexOf("\r\n"));
            requestLines.add(line);
            String[] parts = line.split(" ");
            String authorization = header(head, "proxy-authorization");
            authorizations.add(authorization);
            boolean authorized = expectedAuthorization == null || expectedAuthorization.equals(authorization);
            if (!authorized || refusal != null) {
                // Read the body first: closing with unread bytes would reset the connection before the answer.
                String length = header(head, "content-length");
                in.readNBytes(length.isEmpty() ? 0 : Integer.parseInt(length));
            }
            if (!authorized) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\""
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                client.close();
                return;
            }
            if (refusal != null || parts.length != 3) {
                out.write(("HTTP/1.1 " + (refusal != null ? refusal : "400 Bad Request")
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                client.close();
                return;
            }
            Socket target;
            if (parts[0].equals("CONNECT")) {
                int colon = parts[1].lastIndexOf(':');
                target = new Socket(parts[1].substring(0, colon), Integer.parseInt(parts[1].substring(colon + 1)));
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } else {
                URI uri = URI.create(parts[1]);
                target = new Socket(uri.getHost(), uri.getPort());
                String originForm = parts[0] + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                        + " " + parts[2];
                String rest = head.substring(line.length()).replaceAll("(?im)^proxy-authorization:[^\r\n]*\r\n", "");
                target.getOutputStream().write((originForm + rest).getBytes(StandardCharsets.ISO_8859_1));
            }
            sockets.add(target);
            daemon(() -> pipe(target, client), "test-proxy-down");
            pipe(client, target);
        } catch (IOException e) {
            close(client);
        }
    }

    /** The value of header {@code name} (lower case) in {@code head}, or "" if it has none. */
    private static String header(String head, String name) {
        for (String l : head.split("\r\n")) {
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT).equals(name)) {
                return l.substring(colon + 1).trim();
            }
        }
        return "";
    }

    /** Reads up to and including the blank line that ends the head; a body, if any, is relayed after it. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed before the end of its request head");
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side went away: the tunnel ends
        } finally {
            close(from);
            close(to);
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(TestProxy::close);
    }
}
