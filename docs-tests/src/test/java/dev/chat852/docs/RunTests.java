package dev.chat852.docs;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;

/**
 * Runs one test class of a page with the JUnit Platform, in the JVM of its own that JavaSamplesTest
 * starts from a user-like project folder; exits 0 only when tests ran and every one passed.
 */
public final class RunTests {
    private RunTests() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> tests = Class.forName(args[0]);
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(tests)).build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.printTo(new PrintWriter(System.out, true));
        summary.printFailuresTo(new PrintWriter(System.out, true), 30);
        boolean passed = summary.getTestsSucceededCount() > 0 && summary.getTotalFailureCount() == 0
                && summary.getTestsAbortedCount() == 0 && summary.getTestsSkippedCount() == 0;
        System.exit(passed ? 0 : 1);
    }
}
