package dev.chat852.mock.kit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.mock.Fault;
import dev.chat852.mock.MockConnection;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.ReceivedRequest;
import dev.chat852.mock.RecordedRequest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import dev.chat852.testkit.KitResponse;
import dev.chat852.testkit.KitResponse.Framing;
import dev.chat852.testkit.KitServer;
import dev.chat852.testkit.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The transport test kit's server played by the {@link MockServer}: each {@link KitResponse} becomes a
 * {@link Recording} — chunks with their delays (recorded timing, speed 1), and {@link Fault}s for what
 * breaks the response — and the kit's observations come from {@link MockServer#requests()}.
 *
 * <p>How scripts map:
 * <table>
 * <caption>Kit script to recording</caption>
 * <tr><td>chunk, pause</td><td>a chunk whose {@code delayMs} is the pauses before it; a pause at the
 *     very end is a {@code stall} at the end of the body</td></tr>
 * <tr><td>stall forever</td><td>{@code stall:N:3600000} at the bytes written so far (the mock drops the
 *     timer when the client goes)</td></tr>
 * <tr><td>reset, close</td><td>{@code reset:N}, {@code truncate:N}, after a {@code stall:N:MS} for a
 *     pause just before them</td></tr>
 * <tr><td>delayed status line</td><td>{@code headersDelayMs}; never sent: {@code delay:3600000}</td></tr>
 * <tr><td>endless repeat with a pause</td><td>repeated for 10 minutes of recorded time, far beyond the
 *     kit's 60 s test timeout</td></tr>
 * <tr><td>JSON and text shortcuts</td><td>a recording with that Content-Type, replayed with the mock's
 *     own (chunked) framing</td></tr>
 * </table>
 *
 * <p>Of the optional {@link KitServer.Capability capabilities} it has only the client-close probe
 * ({@link MockServer#connections()}): the mock frames streams chunked only, writes whole HTTP chunks,
 * has no gates, no per-response socket options and no view of its write progress. A script or check
 * needing one of those is skipped, naming it. The token is checked by the mock itself
 * ({@link MockServer.Builder#token}), which keeps no copy of it.
 */
public final class MockKitServer implements KitServer {
    /** Long enough to stand for "forever" in any test. */
    static final long FOREVER_MS = TimeUnit.HOURS.toMillis(1);
    /** Recorded time an endless body is stretched to. */
    static final Duration ENDLESS = Duration.ofMinutes(10);

    private final MockServer mock;
    private final String token;
    private final AtomicInteger names = new AtomicInteger();
    private int taken;
    private boolean routed;

    /** Starts a mock server on a free port, with recorded timing, checking {@code token}. */
    public MockKitServer(String token) {
        this.token = token;
        this.mock = MockServer.builder().speed(1).token(token).build().start();
    }

    /** The mock itself, for what the kit abstraction does not cover. */
    public MockServer mock() {
        return mock;
    }

    @Override
    public String name() {
        return "MockServer";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.CLIENT_CLOSE_PROBE);
    }

    @Override
    public int port() {
        return mock.port();
    }

    @Override
    public KitServer enqueue(KitResponse response) {
        mock.enqueue(Recording.builder().name("kit-enqueued-" + names.incrementAndGet())
                .response(toRecordedResponse(response)).build());
        return this;
    }

    @Override
    public synchronized KitServer route(Map<String, KitResponse> byUserMessage, KitResponse otherwise) {
        if (routed) {
            throw new IllegalStateException("route(...) may be called once per test");
        }
        routed = true;
        // add() puts a recording before the earlier ones: the catch-all first, so every specific one wins.
        if (otherwise != null) {
            mock.add(Recording.builder().name("kit-otherwise").response(toRecordedResponse(otherwise)).build());
        }
        byUserMessage.forEach((message, response) -> mock.add(Recording.builder().name("kit-route-" + message)
                .request(RecordedRequest.builder().message("user", message).build())
                .response(toRecordedResponse(response)).build()));
        return this;
    }

    @Override
    public synchronized KitRequest takeRequest(Duration timeout) {
        int index = taken;
        Poll.until(timeout, "request #" + (index + 1) + " to reach the mock", () -> mock.requests().size() > index,
                () -> "requests so far: " + mock.requests());
        taken++;
        return new Request(mock.requests().get(index));
    }

    @Override
    public List<KitRequest> requests() {
        List<KitRequest> all = new ArrayList<>();
        mock.requests().forEach(r -> all.add(new Request(r)));
        return all;
    }

    /** Requests no recording answered: nothing scripted for them, or the mock refused their token. */
    @Override
    public List<KitRequest> unmatchedRequests() {
        List<KitRequest> all = new ArrayList<>();
        mock.requests().stream().filter(r -> r.matched().isEmpty()).forEach(r -> all.add(new Request(r)));
        return all;
    }

    @Override
    public List<KitConnection> connections() {
        List<KitConnection> all = new ArrayList<>();
        for (MockConnection c : mock.connections()) {
            all.add(new KitConnection() {
                @Override
                public boolean isClosed() {
                    return !c.isOpen();
                }

                @Override
                public boolean closedByClient() {
                    return c.closedByClient();
                }

                @Override
                public String toString() {
                    return c.toString();
                }
            });
        }
        return all;
    }

    @Override
    public List<KitExchange> exchanges() {
        return Assumptions.abort(missing(Capability.WRITE_PROGRESS));
    }

    @Override
    public boolean ownsThread(String threadName) {
        return threadName.startsWith("chat852-mock-");
    }

    /** What the mock keeps: its request log (descriptions, bodies without token, headers) and its recordings. */
    @Override
    public List<String> retainedTexts() {
        List<String> texts = new ArrayList<>();
        texts.add(mock.toString());
        for (ReceivedRequest r : mock.requests()) {
            texts.add(r.toString());
            texts.add(String.valueOf(r.json()));
            texts.add(r.headers().toString());
        }
        for (Recording r : mock.recordings()) {
            texts.add(r.toString());
            texts.add(r.toJson());
        }
        return texts;
    }

    @Override
    public void close() {
        mock.close();
    }

    @Override
    public String toString() {
        return mock.toString();
    }

    // ---- scripts to recordings -------------------------------------------------------------------------

    /**
     * The script as a recorded response with faults.
     *
     * @throws org.opentest4j.TestAbortedException naming the capability, if the script needs one the mock lacks
     */
    RecordedResponse toRecordedResponse(KitResponse k) {
        if (k.framingRequired() && k.framing() == Framing.CONTENT_LENGTH) {
            abort(Capability.CONTENT_LENGTH_FRAMING);
        }
        if (k.framingRequired() && k.framing() == Framing.CLOSE) {
            abort(Capability.CLOSE_DELIMITED_FRAMING);
        }
        if (k.byteByByte()) {
            abort(Capability.WIRE_BYTE_BY_BYTE);
        }
        if (k.sendBufferSize() > 0) {
            abort(Capability.SEND_BUFFER_SIZE);
        }
        if (k.reason() != null) {
            abort(Capability.CUSTOM_REASON);
        }
        if (k.closeAfter()) {
            abort(Capability.CLOSE_AFTER_RESPONSE);
        }
        RecordedResponse.Builder b = RecordedResponse.builder().status(k.status());
        for (String[] h : k.headers()) {
            String name = h[0].toLowerCase(Locale.ROOT);
            if (name.equals("content-length")) {
                abort(Capability.CONTENT_LENGTH_FRAMING); // the mock sets its own framing headers
            }
            if (name.equals("transfer-encoding") || name.equals("connection")) {
                throw new IllegalArgumentException("the mock sets " + h[0] + " itself: " + k);
            }
            b.header(h[0], h[1]);
        }
        if (k.stallBeforeStatus()) {
            b.fault(Fault.delay(FOREVER_MS));
        } else {
            b.headersDelayMs(k.delayBeforeStatus().toMillis());
        }
        if (k.resetAfterBodyBytes() >= 0) {
            b.fault(Fault.reset(k.resetAfterBodyBytes()));
        }
        long offset = 0;
        long pauseMs = 0;
        boolean ended = false;
        for (KitResponse.Step step : k.steps()) {
            if (step instanceof KitResponse.Chunk) {
                byte[] bytes = ((KitResponse.Chunk) step).bytes();
                b.chunk(pauseMs, bytes);
                offset += bytes.length;
                pauseMs = 0;
            } else if (step instanceof KitResponse.Pause) {
                pauseMs += ((KitResponse.Pause) step).duration().toMillis();
            } else if (step instanceof KitResponse.Repeat) {
                KitResponse.Repeat r = (KitResponse.Repeat) step;
                long pause = r.pause().toMillis();
                long times = r.times();
                if (r.endless()) {
                    if (pause <= 0) {
                        abort(Capability.ENDLESS_FIREHOSE);
                    }
                    times = (ENDLESS.toMillis() + pause - 1) / pause;
                }
                byte[] unit = r.unit();
                for (long i = 0; i < times; i++) {
                    b.chunk(pauseMs, unit);
                    offset += unit.length;
                    pauseMs = pause; // the pause after each unit
                }
            } else if (step instanceof KitResponse.AwaitGate) {
                abort(Capability.GATES);
            } else if (step instanceof KitResponse.StallForever) {
                b.fault(Fault.stall(offset, pauseMs + FOREVER_MS));
                ended = true;
            } else if (step instanceof KitResponse.Reset || step instanceof KitResponse.Close) {
                if (pauseMs > 0) {
                    b.fault(Fault.stall(offset, pauseMs)); // a stall at the same offset comes first
                }
                b.fault(step instanceof KitResponse.Reset ? Fault.reset(offset) : Fault.truncate(offset));
                ended = true;
            } else {
                throw new IllegalArgumentException("unknown step " + step);
            }
            if (ended) {
                break; // what a script does after an ending is never played
            }
        }
        if (!ended && pauseMs > 0) {
            b.fault(Fault.stall(offset, pauseMs)); // a pause after the last chunk: the end waits
        }
        return b.build();
    }

    private Void abort(Capability capability) {
        return Assumptions.abort(missing(capability));
    }

    /** A {@link ReceivedRequest} seen through the kit. */
    private final class Request implements KitRequest {
        private final ReceivedRequest request;

        Request(ReceivedRequest request) {
            this.request = request;
        }

        @Override
        public String method() {
            return request.method();
        }

        @Override
        public String path() {
            return request.path();
        }

        @Override
        public String header(String name) {
            return request.header(name).orElse(null);
        }

        @Override
        public JsonNode json() {
            return request.json();
        }

        /**
         * The mock keeps no token, but it checked it against the kit's: a request it answered from a
         * recording carried exactly that one.
         */
        @Override
        public Optional<String> token() {
            if (!request.hasToken()) {
                return Optional.empty();
            }
            return Optional.of(request.matched().isPresent() ? token
                    : "(a token the mock did not answer with a recording: refused, or nothing matched)");
        }

        @Override
        public String toString() {
            return request.toString();
        }
    }
}
