package dev.chat852.bench;

import dev.chat852.mock.Chunk;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The baseline server of {@link MockLoad}: a blocking socket and a thread per connection that replays
 * one recording's chunks with the same rule as the mock (each chunk due its recorded gaps, added up, after
 * the head was written), sleeping with {@link LockSupport#parkNanos}, each chunk one {@code write}. No Netty,
 * no timers, no HTTP codec: what pacing chunks on this machine costs without the mock.
 * Threads are daemon threads named {@code raw-paced-N}. Meant for a handful of connections.
 */
final class RawPacedServer implements AutoCloseable {
    static final String THREAD_PREFIX = "raw-paced-";
    private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: " + RecordedResponse.DEFAULT_CONTENT_TYPE + "\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final byte[][] frames;
    private final long[] gapsNanos;
    private final long headNanos;
    private final AtomicInteger threads = new AtomicInteger();

    private RawPacedServer(ServerSocket listener, Recording recording, double speed) {
        this.listener = listener;
        List<Chunk> chunks = recording.response().chunks();
        headNanos = speed == 0 ? 0 : (long) (recording.response().headersDelayMs() * 1_000_000L / speed);
        frames = new byte[chunks.size()][];
        gapsNanos = new long[chunks.size()];
        for (int i = 0; i < chunks.size(); i++) {
            frames[i] = chunkFrame(chunks.get(i).bytes());
            gapsNanos[i] = speed == 0 ? 0 : (long) (chunks.get(i).delayMs() * 1_000_000L / speed);
        }
    }

    /** {@code data} as one chunk of a chunked body: size line, data, CRLF. */
    static byte[] chunkFrame(byte[] data) {
        byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = Arrays.copyOf(size, size.length + data.length + 2);
        System.arraycopy(data, 0, frame, size.length, data.length);
        frame[frame.length - 2] = '\r';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    static RawPacedServer start(Recording recording, double speed) throws IOException {
        ServerSocket listener = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        RawPacedServer server = new RawPacedServer(listener, recording, speed);
        server.thread(server::acceptLoop);
        return server;
    }

    int port() {
        return listener.getLocalPort();
    }

    private void thread(Runnable task) {
        Thread t = new Thread(task, THREAD_PREFIX + threads.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                thread(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (Socket s = socket) {
            s.setTcpNoDelay(true);
            readRequest(s.getInputStream());
            OutputStream out = s.getOutputStream();
            sleepUntil(System.nanoTime() + headNanos);
            out.write(HEAD);
            long due = System.nanoTime();
            for (int i = 0; i < frames.length; i++) {
                due += gapsNanos[i]; // from the head, not from the last write: lateness does not add up
                sleepUntil(due);
                out.write(frames[i]);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void sleepUntil(long due) {
        for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** Skips the request head and its Content-Length body. */
    static void readRequest(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int contentLength = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early");
            }
            if (b == '\n') {
                String l = line.toString().trim();
                if (l.isEmpty()) {
                    break;
                }
                if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    contentLength = Integer.parseInt(l.substring(15).trim());
                }
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
        in.readNBytes(contentLength);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
