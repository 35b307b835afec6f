package dev.chat852.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link ServerProcess} main for answers too long to record: every request gets a chunked 852 body
 * made of the generated body's header block, its text repeated {@code args[0]} times in 16 KiB frames,
 * and the trailing {@code undefined}. A blocking socket and a thread per connection; the frames are
 * built once, so the server allocates nothing per byte it writes. Prints {@code port N}, then serves
 * until its stdin ends.
 */
public final class RepeatServer {
    /** The text repeated: one generated body's text, cut to whole characters. */
    static final ChatBodyGenerator.Body SEGMENT = ChatBodyGenerator.generate(BenchRecordings.SEED, 1 << 20);
    private static final int FRAME = 16 << 10;
    private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain;charset=UTF-8\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private RepeatServer() {
    }

    /** The text bytes repeated: the segment without its header block and trailer. */
    static byte[] repeatedText() {
        byte[] b = SEGMENT.bytes();
        return Arrays.copyOfRange(b, BenchRecordings.headerBlockBytes(), b.length - ChatBodyGenerator.TRAILER.length());
    }

    public static void main(String[] args) throws IOException {
        long repeats = Long.parseLong(args[0]);
        byte[] text = repeatedText();
        byte[] first = RawPacedServer.chunkFrame(Arrays.copyOfRange(SEGMENT.bytes(), 0, BenchRecordings.headerBlockBytes()));
        byte[][] frames = new byte[(text.length + FRAME - 1) / FRAME][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = RawPacedServer.chunkFrame(Arrays.copyOfRange(text, i * FRAME, Math.min(text.length, (i + 1) * FRAME)));
        }
        byte[] last = RawPacedServer.chunkFrame(ChatBodyGenerator.TRAILER.getBytes(StandardCharsets.US_ASCII));
        try (ServerSocket listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress())) {
            System.out.println("port " + listener.getLocalPort());
            System.out.flush();
            Thread accept = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket s = listener.accept();
                        Thread t = new Thread(() -> serve(s, repeats, first, frames, last), "repeat");
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "accept");
            accept.setDaemon(true);
            accept.start();
            while (System.in.read() >= 0) {
                // until the parent closes our stdin
            }
        }
    }

    private static void serve(Socket socket, long repeats, byte[] first, byte[][] frames, byte[] last) {
        try (Socket s = socket) {
            RawPacedServer.readRequest(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write(HEAD);
            out.write(first);
            for (long r = 0; r < repeats; r++) {
                for (byte[] f : frames) {
                    out.write(f);
                }
            }
            out.write(last);
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // the client went away
        }
    }
}
