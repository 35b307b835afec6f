package dev.chat852.tck;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chat852.spi.Transport;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The transport conformance kit: everything a {@link Transport} must do for chat852, checked end to end
 * through a {@code ChatClient} and real sockets. A transport author runs all of it with one subclass:
 *
 * <pre>{@code
 * class MyTransportTckTest extends TransportTck {
 *     @Override
 *     protected Transport newTransport() {
 *         return new MyTransport();
 *     }
 * }
 * }</pre>
 *
 * <p>The cases come in suites, each a JUnit 5 {@link Nested @Nested} class of this one:
 * <ul>
 *   <li>{@code Streaming} (framing and bytes): the answer exact in every chunk size, one byte per read,
 *       with chunked, Content-Length and close-delimited bodies; the four ways to consume a stream; the
 *       non-stream answer; what the request carries; a 4 MiB answer.</li>
 *   <li>{@code Errors} (errors and faults): the API's errors, HTTP errors, resets and closes mid-body, a
 *       broken header block, a refused connection; {@code Faults}: every fault the mock server can
 *       inject, with exactly the text sent before it kept.</li>
 *   <li>{@code Timeouts}: connect, first-byte and idle timeouts, the client's and a request's own.</li>
 *   <li>{@code Cancellation} (cancellation and pools): cancel, closing a stream, the transport or the
 *       client mid-call; calls after each; nothing left running after close.</li>
 *   <li>{@code Concurrency}: 200 concurrent streams; a consumer that stops asking stops the reading.</li>
 *   <li>{@code Secrets}: the token in no log record, exception, {@code toString()} or server record.</li>
 *   <li>{@code HostilePeers}: a server breaking every rule (endless bodies and headers, wrong lengths,
 *       garbage, silence, redirects) cannot make the client hang, grow without bound or lose text.</li>
 *   <li>{@code ReactiveStreams}: {@code ChatStream} over the transport passes the Reactive Streams TCK's
 *       publisher rules.</li>
 * </ul>
 *
 * <p>Each case gets a fresh {@code MockServer} (from {@code chat852-mock-server}) scripted for it, a new
 * transport from {@link #newTransport()} and a client, all closed afterwards; the hostile peers are the
 * one raw-socket server of {@code chat852-testkit}. The kit waits with generous deadlines, never by
 * sleeping, and its timing assertions are lower bounds, so it is robust on a loaded machine. The hooks
 * below let a transport show more ({@link #leasedConnections}), name its library's loggers
 * ({@link #transportLoggers}) and threads ({@link #isUnrelatedThread}), and mark a case it does not
 * pass yet ({@link #knownGaps}). See {@code docs/transport-tck.md}, with a worked example on
 * {@code java.net.Socket}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class TransportTck {

    /** A new transport with default settings; the kit closes it. */
    protected abstract Transport newTransport();

    /**
     * How many connections {@code transport} has handed to exchanges and not yet got back, if it can
     * tell; the kit then checks it returns to 0 after cancelled and failed calls. Default: it cannot tell.
     */
    protected OptionalInt leasedConnections(Transport transport) {
        return OptionalInt.empty();
    }

    /**
     * Prefixes of the {@code java.util.logging} loggers the transport's libraries log under (for
     * example {@code "io.netty"}). The secrets case turns them up to {@code ALL} and requires at least one
     * record from them, so that its capture is known to include the library's logs. Default: none.
     */
    protected Set<String> transportLoggers() {
        return Set.of();
    }

    /**
     * Whether a thread that appeared during the leak case is none of the transport's business (the JVM,
     * the test framework, Awaitility's, the mock server's). Override to ignore more.
     */
    protected boolean isUnrelatedThread(Thread thread) {
        String n = thread.getName();
        return n.startsWith("chat852-mock-") || n.startsWith("awaitility") || n.startsWith("ForkJoinPool.commonPool")
                || n.startsWith("junit")
                || n.startsWith("surefire") || n.equals("Attach Listener") || n.equals("process reaper")
                || n.equals("Common-Cleaner") || n.equals("Signal Dispatcher") || n.equals("Notification Thread")
                || n.startsWith("JFR") || n.startsWith("RMI") || n.startsWith("JMX");
    }

    /**
     * Cases the transport does not pass yet, by test method name, with why: each is reported skipped
     * with that reason instead of failing, while the gap is being fixed. Default: none.
     */
    protected Map<String, String> knownGaps() {
        return Map.of();
    }

    /** Skips the running case (a JUnit assumption naming the reason) if it is a known gap. */
    final void skipIfKnownGap(TestInfo test) {
        String name = test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("");
        String why = knownGaps().get(name);
        assumeTrue(why == null, () -> "a known gap of this transport: " + why);
    }

    /** Framing and bytes. */
    @Nested
    class Streaming extends StreamingSuite {
        Streaming() {
            super(TransportTck.this);
        }
    }

    /** Errors and faults. */
    @Nested
    class Errors extends ErrorsSuite {
        Errors() {
            super(TransportTck.this);
        }
    }

    /** Every fault the mock server can inject. */
    @Nested
    class Faults extends FaultsSuite {
        Faults() {
            super(TransportTck.this);
        }
    }

    /** Connect, first-byte and idle timeouts. */
    @Nested
    class Timeouts extends TimeoutsSuite {
        Timeouts() {
            super(TransportTck.this);
        }
    }

    /** Cancellation and pools. */
    @Nested
    class Cancellation extends CancellationSuite {
        Cancellation() {
            super(TransportTck.this);
        }
    }

    /** Concurrency and demand. */
    @Nested
    class Concurrency extends ConcurrencySuite {
        Concurrency() {
            super(TransportTck.this);
        }
    }

    /** The token stays secret. */
    @Nested
    class Secrets extends SecretsSuite {
        Secrets() {
            super(TransportTck.this);
        }
    }

    /** A server that breaks every rule. */
    @Nested
    class HostilePeers extends HostilePeerSuite {
        HostilePeers() {
            super(TransportTck.this);
        }
    }

    /** The Reactive Streams TCK's publisher rules for {@code ChatStream} over the transport. */
    @Nested
    class ReactiveStreams extends ReactiveStreamsSuite {
        ReactiveStreams() {
            super(TransportTck.this);
        }
    }
}
