package dev.chat852.tck;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedClass;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.example.transport.SocketTransport;
import dev.chat852.spi.Transport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** A transport's known gap is reported skipped with its reason, and the other cases of the suite still run. */
class KnownGapsTest {

    /** The example transport, claiming a gap it does not have: the kit skips that case all the same. */
    static class WithAGap extends TransportTck {
        @Override
        protected Transport newTransport() {
            return new SocketTransport();
        }

        @Override
        protected Map<String, String> knownGaps() {
            return Map.of("refusedConnectionFailsWithTransportException", "not yet: see issue 99");
        }
    }

    @Test
    void aKnownGapIsSkippedNamingItsReasonAndTheRestOfTheSuiteRuns() {
        Events events = EngineTestKit.engine("junit-jupiter")
                .selectors(selectNestedClass(List.of(WithAGap.class), TransportTck.Errors.class))
                .execute().testEvents();

        events.assertStatistics(s -> s.skipped(0).aborted(1).succeeded(9).failed(0));
        events.assertThatEvents().haveExactly(1, event(test("refusedConnectionFailsWithTransportException"),
                abortedWithReason(message(m -> m.contains("a known gap of this transport: not yet: see issue 99")))));
    }
}
