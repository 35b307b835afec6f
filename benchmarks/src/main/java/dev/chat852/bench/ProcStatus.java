package dev.chat852.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux says about this process in {@code /proc/self/status}: resident set size now and at its
 * peak, and the number of OS threads (the JVM's own, GC and compiler threads included, which no Java
 * API lists). Elsewhere, or for a line the kernel did not write, a field is {@code -1}.
 *
 * @param rssBytes  {@code VmRSS}: resident memory now
 * @param peakRssBytes {@code VmHWM}: the most resident memory so far
 * @param threads   {@code Threads}: OS threads of the process
 */
record ProcStatus(long rssBytes, long peakRssBytes, long threads) {
    private static final Path SELF = Path.of("/proc/self/status");

    /** This process now; all fields {@code -1} where there is no {@code /proc} (not Linux). */
    static ProcStatus self() {
        if (!Files.isReadable(SELF)) {
            return new ProcStatus(-1, -1, -1);
        }
        try {
            return parse(Files.readString(SELF, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return new ProcStatus(-1, -1, -1);
        }
    }

    /** Reads the text of a {@code status} file: lines {@code Name:<spaces>value[ kB]}. */
    static ProcStatus parse(String status) {
        long rss = -1;
        long peak = -1;
        long threads = -1;
        for (String line : status.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "VmRSS": rss = kilobytes(line, value); break;
                case "VmHWM": peak = kilobytes(line, value); break;
                case "Threads": threads = Long.parseLong(value); break;
                default: break;
            }
        }
        return new ProcStatus(rss, peak, threads);
    }

    /** {@code 123 kB} in bytes; the kernel writes these sizes in kibibytes, whatever the unit says. */
    private static long kilobytes(String line, String value) {
        if (!value.endsWith(" kB")) {
            throw new IllegalArgumentException("expected a size in kB in /proc/self/status: " + line);
        }
        return Long.parseLong(value.substring(0, value.length() - 3).trim()) * 1024;
    }
}
