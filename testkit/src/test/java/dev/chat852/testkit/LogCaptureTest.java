package dev.chat852.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LogCaptureTest {

    @Test
    void capturesSystemLoggerDebugRecordsWithParametersAndStackTraces() {
        List<LogCapture.Entry> entries;
        try (LogCapture capture = LogCapture.start(Set.of())) {
            System.Logger log = System.getLogger("dev.chat852.testkit.LogCaptureTest");
            log.log(System.Logger.Level.DEBUG, "hello {0}", "parameter-value");
            log.log(System.Logger.Level.TRACE, "with a cause", new IllegalStateException("outer",
                    new IllegalArgumentException("inner-cause-message")));
            entries = capture.entries();
        }

        assertThat(entries).anySatisfy(e -> {
            assertThat(e.logger()).isEqualTo("dev.chat852.testkit.LogCaptureTest");
            assertThat(e.level()).isEqualTo(Level.FINE);
            assertThat(e.thread()).isEqualTo(Thread.currentThread().getName());
            assertThat(e.text()).contains("hello {0}", "hello parameter-value", "parameter-value");
        });
        assertThat(entries).anySatisfy(e -> assertThat(e.text()).contains("with a cause", "outer",
                "inner-cause-message", "LogCaptureTest"));
    }

    @Test
    void turnsTheNamedLoggersUpAndPutsEveryLevelAndHandlerBack() {
        Logger root = Logger.getLogger("");
        Logger chat852 = Logger.getLogger("dev.chat852");
        Logger library = Logger.getLogger("kit.test.library");
        library.setLevel(Level.WARNING);
        Level rootBefore = root.getLevel();
        Level chat852Before = chat852.getLevel();
        List<Handler> handlersBefore = List.of(root.getHandlers());

        List<LogCapture.Entry> entries;
        try (LogCapture capture = LogCapture.start(Set.of("kit.test.library"))) {
            assertThat(root.getLevel()).isEqualTo(Level.ALL);
            assertThat(chat852.getLevel()).isEqualTo(Level.ALL);
            assertThat(library.getLevel()).isEqualTo(Level.ALL);
            Logger.getLogger("kit.test.library.inner").finest("finest from the library");
            entries = capture.entries();
        }

        assertThat(entries).anyMatch(e -> e.logger().equals("kit.test.library.inner") && e.text().contains("finest"));
        assertThat(root.getLevel()).isEqualTo(rootBefore);
        assertThat(chat852.getLevel()).isEqualTo(chat852Before);
        assertThat(library.getLevel()).isEqualTo(Level.WARNING);
        assertThat(root.getHandlers()).containsExactlyElementsOf(handlersBefore);
        library.setLevel(null);
    }
}
