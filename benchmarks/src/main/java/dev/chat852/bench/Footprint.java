package dev.chat852.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What this process holds at one moment: live Java threads counted per kind, OS threads, heap used and
 * committed, resident memory now and at its peak.
 *
 * @param javaThreads live Java threads per {@linkplain #kind kind}
 * @param heapUsed    bytes of heap in use, garbage included
 * @param heapCommitted bytes of heap the JVM has from the OS
 * @param proc        what {@code /proc/self/status} says (RSS, peak RSS, OS threads)
 */
record Footprint(Map<String, Integer> javaThreads, long heapUsed, long heapCommitted, ProcStatus proc) {
    private static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z0-9])[0-9]+");

    /** Now. */
    static Footprint now() {
        Map<String, Integer> kinds = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            kinds.merge(kind(t.getName()), 1, Integer::sum);
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new Footprint(kinds, heap.getUsed(), heap.getCommitted(), ProcStatus.self());
    }

    /**
     * A thread's kind: its name with every number that stands on its own (not part of a word, such as
     * {@code chat852}) as {@code N}, so that the threads of one pool ({@code chat852-netty-1-3},
     * {@code HttpClient-2-Worker-17}) count together.
     */
    static String kind(String threadName) {
        return NUMBER.matcher(threadName).replaceAll("N");
    }

    int javaThreadCount() {
        return javaThreads.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** {@code 3 chat852-netty-N-N, 1 main, …}, most numerous first. */
    String threadKinds() {
        return javaThreads.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }

    static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
