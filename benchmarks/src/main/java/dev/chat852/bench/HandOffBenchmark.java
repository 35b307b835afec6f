package dev.chat852.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What crossing threads costs on this machine, with no I/O at all: the floor under the gap between
 * {@link TransportBenchmark#shortCall} through a transport and through {@code raw}. A call crosses
 * threads twice: the caller hands the request to the transport's thread (for Netty, a task on the
 * connection's event loop, which wakes it from its selector), and that thread completes the future the
 * caller waits in. {@code raw} reads on the caller's thread and crosses none.
 *
 * <p>{@link #roundTrip} is exactly those two crossings: a task that completes a future, run by
 * {@code to}, while the caller waits in {@code get}: {@code nettyLoop} is an idle Netty NIO event loop,
 * as the transport's are between calls; {@code executor} a single-thread {@code ExecutorService}, whose
 * worker parks in a queue instead of a selector.
 */
@State(Scope.Benchmark)
public class HandOffBenchmark {
    private static final Object DONE = new Object();

    @Param({"nettyLoop", "executor"})
    String to;

    private EventLoopGroup group;
    private ExecutorService executor;
    private Executor target;

    @Setup(Level.Trial)
    public void setup() {
        switch (to) {
            case "nettyLoop":
                group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
                target = group.next();
                break;
            case "executor":
                executor = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "hand-off");
                    t.setDaemon(true);
                    return t;
                });
                target = executor;
                break;
            default:
                throw new IllegalArgumentException("to must be nettyLoop or executor, was " + to);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** There (the task) and back (the caller woken from {@code get}). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object roundTrip() {
        CompletableFuture<Object> done = new CompletableFuture<>();
        target.execute(() -> done.complete(DONE));
        return TransportBenchmark.await(done);
    }
}
