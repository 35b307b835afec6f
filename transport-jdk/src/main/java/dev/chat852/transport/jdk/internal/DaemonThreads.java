package dev.chat852.transport.jdk.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The transport's own threads: daemon, named {@code chat852-jdk-N}, gone a minute after the last use. */
public final class DaemonThreads implements ThreadFactory {
    /** The start of every thread name. */
    public static final String PREFIX = "chat852-jdk-";
    private static final AtomicInteger NEXT = new AtomicInteger(1);

    private DaemonThreads() {
    }

    /**
     * A cached pool, as the JDK client's own default is: its tasks are short (the selector has its own
     * thread), and with no core threads an idle pool holds none, so an unreachable transport that was
     * never closed still leaves no thread behind.
     */
    public static ExecutorService newPool() {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new DaemonThreads());
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(r, PREFIX + NEXT.getAndIncrement());
        t.setDaemon(true);
        return t;
    }
}
