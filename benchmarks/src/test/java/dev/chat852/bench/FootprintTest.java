package dev.chat852.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FootprintTest {

    /** Lines as Linux 5.15 writes them, with tabs, and the fields around the three that are read. */
    private static final String STATUS = "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t4242\n"
            + "VmPeak:\t 5123456 kB\nVmSize:\t 5012345 kB\nVmHWM:\t  212992 kB\nVmRSS:\t  180224 kB\n"
            + "RssAnon:\t  150000 kB\nThreads:\t37\nSigQ:\t0/63431\nvoluntary_ctxt_switches:\t2\n";

    @Test
    void procStatusGivesRssAndItsPeakInBytesAndTheOsThreadCount() {
        ProcStatus s = ProcStatus.parse(STATUS);

        assertThat(s.rssBytes()).isEqualTo(180224L * 1024);
        assertThat(s.peakRssBytes()).isEqualTo(212992L * 1024);
        assertThat(s.threads()).isEqualTo(37);
    }

    @Test
    void aFieldTheKernelDidNotWriteIsMinusOne() {
        ProcStatus s = ProcStatus.parse("Name:\tkthreadd\nThreads:\t1\n");

        assertThat(s.rssBytes()).isEqualTo(-1);
        assertThat(s.peakRssBytes()).isEqualTo(-1);
        assertThat(s.threads()).isEqualTo(1);
    }

    @Test
    void aSizeWithoutItsUnitIsAnErrorThatQuotesTheLine() {
        assertThatThrownBy(() -> ProcStatus.parse("VmRSS:\t180224\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VmRSS:\t180224");
    }

    @Test
    void thisProcessHasResidentMemoryAndThreadsOnLinux() {
        ProcStatus s = ProcStatus.self();
        if (System.getProperty("os.name").equals("Linux")) {
            assertThat(s.rssBytes()).isPositive().isLessThanOrEqualTo(s.peakRssBytes());
            assertThat(s.threads()).isGreaterThanOrEqualTo(Thread.getAllStackTraces().size());
        } else {
            assertThat(s).isEqualTo(new ProcStatus(-1, -1, -1));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "chat852-netty-1-3, chat852-netty-N-N",
        "chat852-jdk-17, chat852-jdk-N",
        "HttpClient-2-SelectorManager, HttpClient-N-SelectorManager",
        "ForkJoinPool.commonPool-worker-12, ForkJoinPool.commonPool-worker-N",
        "main, main",
    })
    void threadsOfOnePoolAreOneKind(String name, String kind) {
        assertThat(Footprint.kind(name)).isEqualTo(kind);
    }

    @Test
    void kindsAreListedMostNumerousFirstThenByName() {
        Footprint f = new Footprint(Map.of("main", 1, "chat852-netty-N-N", 4, "Finalizer", 1), 0, 0,
                new ProcStatus(-1, -1, -1));

        assertThat(f.threadKinds()).isEqualTo("4 chat852-netty-N-N, 1 Finalizer, 1 main");
        assertThat(f.javaThreadCount()).isEqualTo(6);
    }

    @Test
    void nowCountsThisThread() {
        Footprint f = Footprint.now();

        assertThat(f.javaThreads()).containsKey(Footprint.kind(Thread.currentThread().getName()));
        assertThat(f.heapUsed()).isPositive().isLessThanOrEqualTo(f.heapCommitted());
    }
}
