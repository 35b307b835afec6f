package dev.chat852.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * chat852's one raw-socket HTTP server, on loopback: for what the mock server never sends on purpose
 * (an endless body or header block, a header line of megabytes, wrong lengths, chunked garbage, silence,
 * one byte a second, a reset) and for tests that decide every byte and every flush themselves. Each
 * connection is a {@link Peer}, on a daemon thread of its own. Three ways to drive it:
 *
 * <ul>
 *   <li>{@link #start(Script)}: every connection runs the script once its first request is read;</li>
 *   <li>{@link #answering(Responder)}: every request, on kept-alive connections too, gets the responder's
 *       answer;</li>
 *   <li>{@link #interactive()}: the test takes each connection ({@link #accept()}) and plays it step by step.</li>
 * </ul>
 *
 * <pre>{@code
 * try (HostileServer server = HostileServer.start(peer -> {
 *     peer.head(200, "Transfer-Encoding: chunked");
 *     peer.repeatChunks("x".repeat(8192).getBytes(), 200L << 20);   // until the client hangs up
 * })) {
 *     client.stream(...)   // at server.baseUri()
 * }
 * }</pre>
 *
 * Every loop a script runs on a {@link Peer} is bounded in bytes or time, so a test stops by itself even
 * if the client never gives up; {@link #close()} closes every connection.
 */
public final class HostileServer implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** What the server does on a connection once it has read its first request. */
    @FunctionalInterface
    public interface Script {
        void play(Peer peer) throws IOException, InterruptedException;
    }

    /** Answers one request; may write anything, keep the connection, close it or reset it. */
    @FunctionalInterface
    public interface Responder {
        void respond(Peer.Request request, Peer peer) throws Exception;
    }

    private final ServerSocket server;
    private final Script script;
    private final Responder responder;
    private final List<Peer> peers = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Peer> accepted = new LinkedBlockingQueue<>();
    private final BlockingQueue<Peer.Request> requests = new LinkedBlockingQueue<>();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();

    private HostileServer(Script script, Responder responder, SSLContext tls) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.server = tls == null ? new ServerSocket(0, 50, loopback)
                : tls.getServerSocketFactory().createServerSocket(0, 50, loopback);
        this.script = script;
        this.responder = responder;
        Thread acceptor = new Thread(this::acceptLoop, "hostile-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on a free loopback port; every connection gets {@code script} after its first request. */
    public static HostileServer start(Script script) throws IOException {
        return new HostileServer(script, null, null);
    }

    /** Listens on a free loopback port; every request, on every connection, gets {@code responder}'s answer. */
    public static HostileServer answering(Responder responder) throws IOException {
        return answering(responder, null);
    }

    /** {@link #answering(Responder)} over TLS with {@code tls}'s server certificate. */
    public static HostileServer answering(Responder responder, SSLContext tls) throws IOException {
        return new HostileServer(null, responder, tls);
    }

    /** Listens on a free loopback port and hands each connection to the test ({@link #accept()}) untouched. */
    public static HostileServer interactive() throws IOException {
        return new HostileServer(null, null, null);
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** {@code http://127.0.0.1:PORT} followed by {@code path}. */
    public URI uri(String path) {
        return URI.create(baseUri() + path);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Bytes written so far (heads and bodies), on every connection. */
    public long bytesSent() {
        return sent.get();
    }

    /** The request lines received so far by scripts and responders ({@code POST /path HTTP/1.1}). */
    public List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    /** How many connections were accepted. */
    public int connections() {
        return connections.get();
    }

    /** The next connection a client opened (interactive), waiting up to 10 s. */
    public Peer accept() throws InterruptedException {
        Peer p = accepted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (p == null) {
            throw new AssertionError("no connection within " + WAIT);
        }
        return p;
    }

    /** A connection already waiting (interactive), or null: for checking that none was opened. */
    public Peer acceptNow() {
        return accepted.poll();
    }

    /** The next request a responder got, waiting up to 10 s. */
    public Peer.Request takeRequest() throws InterruptedException {
        Peer.Request r = requests.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no request arrived within " + WAIT);
        }
        return r;
    }

    /** What scripts and responders threw, other than the client going away (an IOException). */
    public List<Throwable> errors() {
        return List.copyOf(errors);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Peer peer;
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                peer = new Peer(socket, connections.incrementAndGet(), sent);
            } catch (IOException e) {
                return; // closed
            }
            peers.add(peer);
            if (script == null && responder == null) {
                accepted.add(peer);
                continue;
            }
            Thread t = new Thread(() -> serve(peer), "hostile-peer-" + peer.index());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Peer peer) {
        try (peer) {
            if (script != null) {
                Peer.Request first = peer.readRequest();
                if (first != null) {
                    requestLines.add(first.line());
                    script.play(peer);
                }
                return;
            }
            for (Peer.Request r = peer.readRequest(); r != null; r = peer.readRequest()) {
                requestLines.add(r.line());
                requests.add(r);
                responder.respond(r, peer);
            }
        } catch (IOException e) {
            // the client went away, or the script reset the connection: both are what these tests expect
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | AssertionError e) {
            errors.add(e);
        }
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() throws IOException {
        server.close();
        for (Peer p : peers) {
            p.close();
        }
    }
}
