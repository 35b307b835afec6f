package dev.chat852.mock.internal;

import dev.chat852.mock.Gate;
import dev.chat852.mock.MockResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link ReplayPlan} on one connection: every delay is an event-loop timer (never a sleeping
 * thread), each segment is its own HTTP chunk flushed on its own, and a segment is not written while
 * the channel is unwritable (a slow client), so memory stays bounded. The {@link MockResponse}'s wire
 * options apply: reason phrase, closing after it, gates (the clock stops while one holds the
 * response), one write per byte ({@link BytePacer}) and the socket's send buffer.
 *
 * <p>A segment costs one buffer from the channel's pool, the bytes copied once into it from the
 * recording, and one write: a chunked body is framed here ({@code SIZE CRLF bytes CRLF}) and written
 * past the HTTP encoder, which would otherwise add two more buffers, a hex string and a promise per
 * piece; only the response head and its end go through the encoder, which keeps its state.
 *
 * <p>All methods run on the channel's event loop.
 */
final class Replay {
    private static final System.Logger LOG = System.getLogger("dev.chat852.mock");
    /** Time the bytes before a reset get to leave the server: on loopback they need microseconds. */
    static final long RESET_GRACE_MILLIS = 50;
    /** Longest single timer, so that the event loop's deadline arithmetic cannot overflow. */
    static final long MAX_TIMER_MILLIS = TimeUnit.DAYS.toMillis(365);
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final short CRLF = ('\r' << 8) | '\n';

    private final ChannelHandlerContext ctx;
    private final ReplayPlan plan;
    private final MockResponse options;
    private final List<MockResponse.Hold> holds;
    private final boolean keepAlive;
    /** Called once with whether the connection stays open for the next request; if not, it closes it. */
    private final Consumer<Boolean> done;
    private final Runnable sendAndProceed = this::sendAndProceed;
    /** Where framed chunks are written (the encoder's own context: past it), or null: the encoder writes segments. */
    private ChannelHandlerContext framing;

    private int next;
    /** The first hold not yet passed. */
    private int nextHold;
    private ScheduledFuture<?> timer;
    /** Writes complete in order, so when this one is done every earlier one is. */
    private ChannelFuture lastWrite;
    private boolean waitingForWritability;
    private boolean finished;
    /**
     * When the next segment is due, in nanoseconds after {@link #start}: gaps add up from when the headers
     * went out, so the timer's own lateness does not accumulate along a long stream.
     */
    private long due;
    /** When the headers went out (System.nanoTime); {@link #due} counts from here, saturating. */
    private long start;
    /** Whether {@link #due} already includes the gap before segment {@link #next}. */
    private boolean dueIncludesNext;

    Replay(ChannelHandlerContext ctx, ReplayPlan plan, MockResponse options, boolean keepAlive,
           Consumer<Boolean> done) {
        this.ctx = ctx;
        this.plan = plan;
        this.options = options;
        this.holds = options.holds();
        this.keepAlive = keepAlive && plan.ending() == ReplayPlan.Ending.COMPLETE
                && plan.framing() != MockResponse.Framing.CLOSE && !options.closeConnection();
        this.done = done;
    }

    void start() {
        Gate gate = options.headGate().orElse(null);
        if (gate != null && !gate.isOpen()) {
            gate.whenOpen().thenRun(() -> ctx.executor().execute(this::start));
            return;
        }
        later(plan.headersDelayNanos(), this::writeHead);
    }

    /** The channel went away: stop, and drop any pending timer. */
    void cancel() {
        finished = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    void writabilityChanged() {
        if (waitingForWritability && ctx.channel().isWritable()) {
            waitingForWritability = false;
            proceed();
        }
    }

    private void writeHead() {
        if (finished) {
            return;
        }
        HttpResponseStatus status = options.reason().map(r -> new HttpResponseStatus(plan.status(), r))
                .orElseGet(() -> HttpResponseStatus.valueOf(plan.status()));
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        for (Map.Entry<String, String> h : plan.headers()) {
            head.headers().add(h.getKey(), h.getValue());
        }
        Cors.addTo(head.headers());
        if (plan.framing() == MockResponse.Framing.CHUNKED) {
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else if (plan.framing() == MockResponse.Framing.CONTENT_LENGTH) {
            head.headers().set(HttpHeaderNames.CONTENT_LENGTH, plan.bodySize());
        } // CLOSE: neither; the end of the body is the end of the connection
        if (options.sendBufferSize() > 0) {
            ctx.channel().config().setOption(ChannelOption.SO_SNDBUF, options.sendBufferSize());
        }
        options.byteByByte().ifPresent(pause -> ctx.pipeline().addFirst(BytePacer.NAME, new BytePacer(pause.toNanos())));
        head.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        if (plan.framing() == MockResponse.Framing.CHUNKED && hasBody(plan.status())) {
            framing = ctx.pipeline().context(HttpServerCodec.class);
        }
        lastWrite = ctx.writeAndFlush(head).addListener(f -> {
            if (!f.isSuccess()) {
                // Said out loud when the client is still there: it is left with an empty reply.
                LOG.log(ctx.channel().isActive() ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                        "chat852 mock: cannot send the response head ({0}); the connection is closed",
                        f.cause().toString());
                ctx.close();
            }
        });
        start = System.nanoTime();
        due = 0;
        proceed();
    }

    /** Sends segments due now; returns when one is delayed, the channel is full, or the plan is done. */
    private void proceed() {
        while (!finished) {
            boolean last = next == plan.segmentCount();
            if (held(last ? plan.bytesSent() : plan.offset(next))) {
                return;
            }
            if (!dueIncludesNext) {
                due = ReplayPlan.plus(due, last ? plan.endDelayNanos() : plan.delayNanos(next));
                dueIncludesNext = true;
            }
            long wait = due - (System.nanoTime() - start); // both counted from start: no overflow
            if (last) {
                later(wait, this::end);
                return;
            }
            if (wait > 0) {
                later(wait, sendAndProceed);
                return;
            }
            if (!send()) {
                return;
            }
        }
    }

    /**
     * Whether a closed gate holds the response at body offset {@code position}; if so, the replay goes on
     * when it opens, its clock moved on by the time it was held.
     */
    private boolean held(long position) {
        while (nextHold < holds.size() && holds.get(nextHold).afterBytes() <= position) {
            Gate gate = holds.get(nextHold).gate();
            if (!gate.isOpen()) {
                long since = System.nanoTime();
                gate.whenOpen().thenRun(() -> ctx.executor().execute(() -> {
                    if (!finished) {
                        start += System.nanoTime() - since;
                        proceed();
                    }
                }));
                return true;
            }
            nextHold++;
        }
        return false;
    }

    private void sendAndProceed() {
        if (send()) {
            proceed();
        }
    }

    /** Writes segment {@code next}; false if the replay must now wait (channel full or gone). */
    private boolean send() {
        if (finished || !ctx.channel().isActive()) {
            finished = true;
            return false;
        }
        int segment = next++;
        dueIncludesNext = false;
        int length = plan.length(segment);
        ChannelFuture write = framing != null
                ? framing.writeAndFlush(chunkFrame(segment, length))
                : ctx.writeAndFlush(new DefaultHttpContent(segmentBytes(segment, length)));
        lastWrite = write.addListener(new Sent(length));
        if (!ctx.channel().isWritable()) {
            waitingForWritability = true;
            return false;
        }
        return true;
    }

    /** {@code SIZE CRLF bytes CRLF}, SIZE in lower-case hex as Netty's encoder writes it. */
    private ByteBuf chunkFrame(int segment, int length) {
        int digits = (35 - Integer.numberOfLeadingZeros(length)) / 4; // length >= 1: a segment is never empty
        ByteBuf frame = ctx.alloc().ioBuffer(digits + 2 + length + 2);
        for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
            frame.writeByte(HEX[(length >>> shift) & 0xF]);
        }
        frame.writeShort(CRLF);
        copyInto(frame, segment, length);
        frame.writeShort(CRLF);
        return frame;
    }

    private ByteBuf segmentBytes(int segment, int length) {
        ByteBuf bytes = ctx.alloc().ioBuffer(length);
        copyInto(bytes, segment, length);
        return bytes;
    }

    /** Appends the segment's bytes, copied once, straight from the recorded chunks. */
    private void copyInto(ByteBuf buffer, int segment, int length) {
        for (int at = plan.offset(segment), end = at + length; at < end; ) {
            ByteBuffer bytes = plan.bytesAt(at, end - at);
            at += bytes.remaining();
            buffer.writeBytes(bytes);
        }
    }

    /**
     * Whether Netty's encoder puts a body on the wire after this status: it drops those of 1xx, 204, 205
     * and 304 (RFC 9110), so their segments still go through it.
     */
    static boolean hasBody(int status) {
        return status >= 200 && status != 204 && status != 205 && status != 304;
    }

    /** Counts a segment's bytes once the socket has taken them; closes the connection if it could not. */
    private static final class Sent implements ChannelFutureListener {
        private final int length;

        Sent(int length) {
            this.length = length;
        }

        @Override
        public void operationComplete(ChannelFuture f) {
            if (f.isSuccess()) {
                TrackedConnection.sent(f.channel(), length);
            } else {
                f.channel().close();
            }
        }
    }

    private void end() {
        if (finished) {
            return;
        }
        finished = true;
        Channel channel = ctx.channel();
        switch (plan.ending()) {
            case COMPLETE:
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
                    if (ctx.pipeline().get(BytePacer.NAME) != null) {
                        ctx.pipeline().remove(BytePacer.NAME); // every byte is out: the next response is not paced
                    }
                    if (f.isSuccess() && !keepAlive) {
                        TrackedConnection.serverCloses(channel);
                    }
                    done.accept(f.isSuccess() && keepAlive); // closes the connection unless it stays open
                });
                break;
            case TRUNCATE:
                // All planned bytes are out, then FIN.
                lastWrite.addListener(f -> {
                    TrackedConnection.serverCloses(channel);
                    channel.close();
                    done.accept(false);
                });
                break;
            case RESET:
                // A reset throws away what the kernel has not sent yet: give the planned bytes time to
                // leave first, so the client gets all N of them and then the reset.
                lastWrite.addListener(f -> ctx.executor().schedule(() -> {
                    TrackedConnection.serverCloses(channel);
                    if (channel.isOpen()) {
                        channel.config().setOption(ChannelOption.SO_LINGER, 0);
                    }
                    channel.close();
                    done.accept(false);
                }, RESET_GRACE_MILLIS, TimeUnit.MILLISECONDS));
                break;
            default:
                throw new IllegalStateException("unknown ending " + plan.ending());
        }
    }

    private void later(long delayNanos, Runnable task) {
        if (finished) {
            return;
        }
        if (delayNanos <= 0) {
            task.run();
        } else {
            // Whole milliseconds: Netty's NIO loop sleeps in whole milliseconds, and spins in selectNow()
            // while a deadline is less than half of one away (MockLoad counted ~6 epoll_wait calls per
            // 1 ms gap, triple the CPU). Rounding up costs under a millisecond per chunk and never adds
            // up, since every chunk is due from the start of the replay.
            long millis = Math.min(MAX_TIMER_MILLIS, (ReplayPlan.plus(delayNanos, 999_999)) / 1_000_000);
            timer = ctx.executor().schedule(task, millis, TimeUnit.MILLISECONDS);
        }
    }
}
