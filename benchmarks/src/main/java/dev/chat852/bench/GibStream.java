package dev.chat852.bench;

import com.sun.management.ThreadMXBean;
import dev.chat852.ChatClient;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatListener;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.spi.Transport;
import dev.chat852.transport.jdk.JdkTransport;
import dev.chat852.transport.netty.NettyTransport;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One answer of about {@code --mib} MiB (default 1024) streamed through the client, with the text
 * consumed piece by piece and not kept ({@link ChatRequest.Builder#keepText(boolean) keepText(false)}):
 * what a small heap allows. Run it with the heap to prove, e.g. {@code -Xmx64m}:
 *
 * <pre>
 * java -Xmx64m -cp benchmarks/target/benchmarks.jar dev.chat852.bench.GibStream --transport netty,jdk --mib 1024
 * </pre>
 *
 * The answer comes from {@link RepeatServer} in its own JVM. Per transport it checks every character
 * arrived and prints: body bytes, wall time and MB/s, the heap's limit and its peak use, collections and
 * their time, and bytes allocated per body byte by this JVM's threads.
 */
public final class GibStream {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private GibStream() {
    }

    public static void main(String[] args) throws Exception {
        String transports = "netty,jdk";
        long mib = 1024;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--transport": transports = args[i + 1]; break;
                case "--mib": mib = Long.parseLong(args[i + 1]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i] + "; use --transport and --mib");
            }
        }
        byte[] text = RepeatServer.repeatedText();
        long repeats = Math.max(1, (mib << 20) / text.length);
        long bodyBytes = BenchRecordings.headerBlockBytes() + repeats * text.length + ChatBodyGenerator.TRAILER.length();
        if (bodyBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--mib " + mib + " is more than the client's bound allows (2 GiB)");
        }
        long chars = repeats * RepeatServer.SEGMENT.text().length();
        System.out.printf(Locale.ROOT, "java %s, heap limit %d MiB; %d body bytes (%.0f MiB), %d chars%n",
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, bodyBytes,
                bodyBytes / 1048576.0, chars);
        System.out.println("| transport | MB/s | heap peak MiB | GCs | GC ms | B allocated per body byte |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        try (ServerProcess server = ServerProcess.start(RepeatServer.class, Long.toString(repeats))) {
            for (String name : transports.split(",")) {
                run(name.trim(), server, bodyBytes, chars);
            }
        }
    }

    private static void run(String name, ServerProcess server, long bodyBytes, long chars) throws Exception {
        try (Transport transport = "netty".equals(name) ? NettyTransport.create()
                : "jdk".equals(name) ? JdkTransport.create() : unknown(name);
             ChatClient client = ChatClient.builder().baseUrl(server.baseUri().toString()).token("bench")
                     .transport(transport).maxAnswerBytes((int) bodyBytes).build()) {
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            long[] gcBefore = gc();
            Map<Long, Long> allocatedBefore = allocated();
            long start = System.nanoTime();
            long[] seen = {0};
            ChatStream stream = client.stream(ChatRequest.builder().user("a very long answer").keepText(false).build());
            stream.listen(new ChatListener() {
                @Override
                public void onText(String piece) {
                    seen[0] += piece.length();
                }
            });
            ChatCompletion done = stream.completion().get(10, TimeUnit.MINUTES);
            long nanos = System.nanoTime() - start;
            long allocatedBytes = since(allocatedBefore);
            long[] gcAfter = gc();
            if (seen[0] != chars || done.bytesReceived() != bodyBytes || !done.text().isEmpty()) {
                throw new IllegalStateException(name + ": " + seen[0] + " chars and " + done.bytesReceived()
                        + " bytes, expected " + chars + " and " + bodyBytes);
            }
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.1f | %d | %d | %.2f |%n", name, bodyBytes * 1e3 / nanos,
                    peak / 1048576.0, gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1],
                    (double) allocatedBytes / bodyBytes);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(name + ": the answer failed: " + e, e);
        }
    }

    private static Transport unknown(String name) {
        throw new IllegalArgumentException("--transport takes netty and jdk, was " + name);
    }

    /** Collections and their milliseconds, all collectors. */
    private static long[] gc() {
        long count = 0;
        long ms = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += b.getCollectionCount();
            ms += b.getCollectionTime();
        }
        return new long[] {count, ms};
    }

    private static Map<Long, Long> allocated() {
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        Map<Long, Long> m = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            m.put(ids[i], bytes[i]);
        }
        return m;
    }

    /** Bytes allocated since {@code before} by the threads alive now (threads that ended are not counted). */
    private static long since(Map<Long, Long> before) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : allocated().entrySet()) {
            if (e.getValue() > 0) {
                sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            }
        }
        return sum;
    }
}
