package dev.chat852.transport.netty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy on loopback that only tunnels ({@code CONNECT host:port}), one thread per direction:
 * what a corporate proxy does for https. It records each request line, and can refuse them all
 * with a status of the test's choosing.
 */
final class TunnelProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String refusal;
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /** A proxy that opens every tunnel asked for. */
    static TunnelProxy open() throws IOException {
        return new TunnelProxy(null);
    }

    /** A proxy that answers every request with {@code statusLine} (e.g. "407 Proxy Authentication Required"). */
    static TunnelProxy refusing(String statusLine) throws IOException {
        return new TunnelProxy(statusLine);
    }

    private TunnelProxy(String refusal) throws IOException {
        this.refusal = refusal;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept, "tunnel-proxy-accept");
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    /** The request lines received, in order, e.g. {@code CONNECT 127.0.0.1:4711 HTTP/1.1}. */
    List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    private void accept() {
        try {
            while (true) {
                Socket client = server.accept();
                sockets.add(client);
                daemon(() -> serve(client), "tunnel-proxy-conn");
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
            if (refusal != null || parts.length != 3 || !parts[0].equals("CONNECT")) {
                out.write(("HTTP/1.1 " + (refusal != null ? refusal : "405 Method Not Allowed")
                        + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                client.close();
                return;
            }
            int colon = parts[1].lastIndexOf(':');
            Socket target = new Socket(parts[1].substring(0, colon), Integer.parseInt(parts[1].substring(colon + 1)));
            sockets.add(target);
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            daemon(() -> pipe(target, client), "tunnel-proxy-down");
            pipe(client, target);
        } catch (IOException e) {
            close(client);
        }
    }

    /** Reads up to and including the blank line that ends the head; no body follows a CONNECT. */
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
        return head.toString(StandardCharsets.US_ASCII);
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
        sockets.forEach(TunnelProxy::close);
    }
}
