package dev.chat852.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The baseline client of {@link TransportBenchmark}: one blocking keep-alive socket, requests written as
 * prebuilt bytes, the response's status line and headers skipped, the chunked body handed out slice by
 * slice straight from the read buffer. No decoding, no copies, no thread hand-off: what the server and
 * loopback deliver to a client that does nothing with the bytes.
 *
 * <p>Use: {@link #send}, {@link #readHead}, then {@link #nextSlice} until it returns false. Not thread-safe.
 */
final class RawHttpClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[64 << 10];
    private int pos;
    private int lim;
    // body state
    private int chunkLeft;
    private boolean crlfDue;
    private boolean ended = true;
    /** The current slice: {@code buf()[sliceOffset(), sliceOffset() + sliceLength())}. */
    private int sliceOffset;
    private int sliceLength;

    RawHttpClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000); // a hung server fails the trial instead of stalling it
        socket.connect(new InetSocketAddress(host, port));
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(byte[] request) throws IOException {
        if (!ended) {
            throw new IllegalStateException("the previous body was not read to its end");
        }
        out.write(request);
        out.flush();
    }

    /** Reads the status line and headers; the body must be chunked. Returns the status. */
    int readHead() throws IOException {
        String status = readLine();
        boolean chunked = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            String l = line.toLowerCase(Locale.ROOT);
            if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                chunked = true;
            }
        }
        if (!chunked) {
            throw new IOException("expected a chunked body after " + status);
        }
        chunkLeft = 0;
        crlfDue = false;
        ended = false;
        return Integer.parseInt(status.substring(9, 12));
    }

    /** The next slice of the body, false once the body (and its trailers) ended. */
    boolean nextSlice() throws IOException {
        if (ended) {
            return false;
        }
        if (chunkLeft == 0) {
            if (crlfDue) {
                if (!readLine().isEmpty()) {
                    throw new IOException("missing CRLF after a chunk");
                }
                crlfDue = false;
            }
            String size = readLine();
            int semi = size.indexOf(';');
            chunkLeft = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (chunkLeft == 0) {
                while (!readLine().isEmpty()) {
                    // trailers
                }
                ended = true;
                return false;
            }
        }
        if (pos == lim) {
            pos = 0;
            lim = 0;
            fill();
        }
        int n = Math.min(chunkLeft, lim - pos);
        sliceOffset = pos;
        sliceLength = n;
        pos += n;
        chunkLeft -= n;
        crlfDue = chunkLeft == 0;
        return true;
    }

    byte[] buf() {
        return buf;
    }

    int sliceOffset() {
        return sliceOffset;
    }

    int sliceLength() {
        return sliceLength;
    }

    private String readLine() throws IOException {
        while (true) {
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    return line;
                }
            }
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
            if (lim == buf.length) {
                throw new IOException("line longer than " + buf.length + " bytes");
            }
            fill();
        }
    }

    private void fill() throws IOException {
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            throw new EOFException("the server closed the connection");
        }
        lim += n;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
