package dev.chat852.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Iterator;

/** Opens N connections, writes N requests, reads N responses with one selector, on the calling thread. */
final class LoadClient implements AutoCloseable {
    private static final int MAX_CONNECTING = 256;
    private final Selector selector;
    private final InetSocketAddress server;
    private final Expected expected;
    private final Conn[] conns;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
    private long[] lags = new long[1 << 16];
    private int lagCount;
    private int open;
    private int completed;
    private String firstFailure;

    LoadClient(int n, InetSocketAddress server, Expected expected) throws IOException {
        this.selector = Selector.open();
        this.server = server;
        this.expected = expected;
        this.conns = new Conn[n];
    }

    void connectAll() throws IOException {
        int started = 0;
        int connected = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (connected < conns.length) {
            while (started < conns.length && started - connected < MAX_CONNECTING) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Conn c = new Conn(ch, expected.sizes.length);
                conns[started++] = c;
                if (ch.connect(server)) {
                    connected++;
                    ch.register(selector, 0, c);
                } else {
                    ch.register(selector, SelectionKey.OP_CONNECT, c);
                }
            }
            selector.select(1000);
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                if (((SocketChannel) key.channel()).finishConnect()) {
                    key.interestOps(0);
                    connected++;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("only " + connected + " of " + conns.length + " connections in 60 s");
            }
        }
        open = conns.length;
    }

    void sendAll(byte[] request) throws IOException {
        for (Conn c : conns) {
            ByteBuffer b = ByteBuffer.wrap(request);
            while (b.hasRemaining()) {
                c.channel.write(b);
            }
            c.sentAt = System.nanoTime();
            c.channel.keyFor(selector).interestOps(SelectionKey.OP_READ);
        }
    }

    void loop(long deadline) throws IOException {
        while (open > 0) {
            long now = System.nanoTime();
            if (now > deadline) {
                break;
            }
            selector.select(Math.max(1, (deadline - now) / 1_000_000));
            long woke = System.nanoTime();
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                Conn c = (Conn) key.attachment();
                buffer.clear();
                int n;
                try {
                    n = c.channel.read(buffer);
                } catch (IOException e) {
                    fail(c, "read failed: " + e.getMessage());
                    continue;
                }
                if (lagCount == lags.length) {
                    lags = Arrays.copyOf(lags, lags.length * 2);
                }
                lags[lagCount++] = System.nanoTime() - woke;
                if (n < 0) {
                    fail(c, "closed after " + c.bodyOffset + " body bytes");
                    continue;
                }
                // Bytes count as arrived when select() returned, not when this loop got round to them.
                parse(c, buffer.array(), n, woke);
            }
        }
        for (Conn c : conns) {
            if (c.state != Conn.DONE && c.failure == null) {
                fail(c, "not finished before the deadline");
            }
        }
    }

    private void fail(Conn c, String why) {
        if (c.failure == null && c.state != Conn.DONE) {
            c.failure = why;
            if (firstFailure == null) {
                firstFailure = why;
            }
            close(c);
        }
    }

    private void close(Conn c) {
        try {
            c.channel.close();
        } catch (IOException e) {
            // closing
        }
        open--;
    }

    private void parse(Conn c, byte[] b, int n, long t) {
        int i = 0;
        while (i < n && c.failure == null) {
            switch (c.state) {
                case Conn.HEAD: {
                    byte x = b[i++];
                    if (c.statusLength < c.status.length) {
                        c.status[c.statusLength++] = x;
                    }
                    c.crlf = x == '\r' ? (c.crlf == 2 ? 3 : 1) : x == '\n' && (c.crlf == 1 || c.crlf == 3) ? c.crlf + 1 : 0;
                    if (c.crlf == 4) {
                        if (c.status[9] != '2' || c.status[10] != '0' || c.status[11] != '0') {
                            fail(c, "status " + new String(c.status, 0, c.statusLength, java.nio.charset.StandardCharsets.US_ASCII));
                            return;
                        }
                        c.headAt = t;
                        c.state = Conn.SIZE;
                    }
                    break;
                }
                case Conn.SIZE: {
                    byte x = b[i++];
                    if (x == '\n') {
                        if (c.size == 0) {
                            c.state = Conn.TRAILER;
                        } else if (c.chunk >= expected.sizes.length || c.size != expected.sizes[c.chunk]) {
                            fail(c, "chunk " + c.chunk + " has " + c.size + " bytes");
                            return;
                        } else {
                            c.left = c.size;
                            c.state = Conn.DATA;
                        }
                        c.size = 0;
                        c.extension = false;
                    } else if (x == ';') {
                        c.extension = true;
                    } else if (x != '\r' && !c.extension) {
                        int d = Character.digit(x, 16);
                        if (d < 0) {
                            fail(c, "bad chunk size");
                            return;
                        }
                        c.size = c.size * 16 + d;
                    }
                    break;
                }
                case Conn.DATA: {
                    int take = Math.min(c.left, n - i);
                    if (!Arrays.equals(b, i, i + take, expected.body, c.bodyOffset, c.bodyOffset + take)) {
                        fail(c, "body differs near byte " + c.bodyOffset);
                        return;
                    }
                    i += take;
                    c.bodyOffset += take;
                    c.left -= take;
                    if (c.left == 0) {
                        c.arrivals[c.chunk++] = t;
                        c.state = Conn.CR;
                    }
                    break;
                }
                case Conn.CR:
                    c.state = b[i++] == '\r' ? Conn.LF : -1;
                    break;
                case Conn.LF:
                    c.state = b[i++] == '\n' ? Conn.SIZE : -1;
                    break;
                case Conn.TRAILER: {
                    byte x = b[i++];
                    if (x == '\n') {
                        if (c.trailerLine == 0) {
                            c.state = Conn.DONE;
                            c.doneAt = t;
                            if (c.chunk != expected.sizes.length || c.bodyOffset != expected.body.length) {
                                c.state = Conn.TRAILER;
                                fail(c, "ended after " + c.chunk + " chunks, " + c.bodyOffset + " bytes");
                                return;
                            }
                            completed++;
                            close(c);
                            return;
                        }
                        c.trailerLine = 0;
                    } else if (x != '\r') {
                        c.trailerLine++;
                    }
                    break;
                }
                default:
                    fail(c, "bad chunk framing");
                    return;
            }
        }
        if (c.state == Conn.DONE && i < n) {
            fail(c, "bytes after the response");
        }
    }

    MockLoad.Result result() {
        MockLoad.Result r = new MockLoad.Result();
        r.connections = conns.length;
        r.completed = completed;
        r.firstFailure = firstFailure;
        r.nominal = expected.nominalNanos;
        long firstSent = Long.MAX_VALUE;
        long lastSent = Long.MIN_VALUE;
        long lastDone = Long.MIN_VALUE;
        int delayed = 0;
        for (long g : expected.gapNanos) {
            if (g > 0) {
                delayed++;
            }
        }
        long[] head = new long[conns.length];
        long[] late = new long[completed * delayed];
        long[] excess = new long[completed * delayed];
        int h = 0;
        int k = 0;
        for (Conn c : conns) {
            firstSent = Math.min(firstSent, c.sentAt);
            lastSent = Math.max(lastSent, c.sentAt);
            if (c.headAt > 0) {
                head[h++] = c.headAt - c.sentAt - expected.headNanos;
            }
            if (c.state != Conn.DONE) {
                continue;
            }
            lastDone = Math.max(lastDone, c.doneAt);
            for (int i = 0; i < c.arrivals.length; i++) {
                if (expected.gapNanos[i] > 0) {
                    late[k] = c.arrivals[i] - c.headAt - expected.offsetNanos[i];
                    long previous = i == 0 ? c.headAt : c.arrivals[i - 1];
                    excess[k] = c.arrivals[i] - previous - expected.gapNanos[i];
                    k++;
                }
            }
        }
        r.sendSpread = lastSent - firstSent;
        r.wall = (lastDone == Long.MIN_VALUE ? System.nanoTime() : lastDone) - firstSent;
        r.head = sorted(Arrays.copyOf(head, h));
        r.lateness = sorted(late);
        r.gapExcess = sorted(excess);
        r.clientLag = sorted(Arrays.copyOf(lags, lagCount));
        r.reads = lagCount;
        return r;
    }

    private static long[] sorted(long[] a) {
        Arrays.sort(a);
        return a;
    }

    @Override
    public void close() throws IOException {
        for (Conn c : conns) {
            if (c != null && c.channel.isOpen()) {
                c.channel.close();
            }
        }
        selector.close();
    }

    /** One connection's response, parsed as it arrives. */
    static final class Conn {
        static final int HEAD = 0;
        static final int SIZE = 1;
        static final int DATA = 2;
        static final int CR = 3;
        static final int LF = 4;
        static final int TRAILER = 5;
        static final int DONE = 6;

        final SocketChannel channel;
        int state = HEAD;
        int crlf;            // HEAD: how much of CR LF CR LF was seen
        final byte[] status = new byte[12];
        int statusLength;
        int size;            // SIZE: the chunk size being read
        boolean extension;   // SIZE: after ';'
        int left;            // DATA: bytes left in the chunk
        int chunk;           // index of the chunk being read
        int bodyOffset;
        int trailerLine;
        long sentAt;
        long headAt;
        long doneAt;
        final long[] arrivals;
        String failure;

        Conn(SocketChannel channel, int chunks) {
            this.channel = channel;
            this.arrivals = new long[chunks];
        }
    }
}
