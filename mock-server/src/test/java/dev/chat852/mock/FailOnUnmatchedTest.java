package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension fails a test whose server got a request nothing answered, when asked to (as WireMock's
 * failOnUnmatchedRequests): runs the small test classes nested here and checks their outcome.
 */
class FailOnUnmatchedTest {

    private static Events run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute().testEvents();
    }

    @Test
    void aTestWhoseRequestNothingAnsweredFailsNamingTheRequestButNotItsToken() {
        Events events = run(Annotated.class);

        events.assertStatistics(s -> s.started(3).succeeded(1).failed(2));
        events.assertThatEvents().haveExactly(1, event(test("asksForWhatNoRecordingHas"), finishedWithFailure(
                instanceOf(AssertionError.class), message(m -> m.contains("1 request(s) that nothing answered")
                        && m.contains("model=gpt-4") && m.contains("(unmatched)") && !m.contains("sk-unmatched")))));
        events.assertThatEvents().haveExactly(1, event(test("sendsAWrongToken"), finishedWithFailure(
                message(m -> m.contains("nothing answered") && !m.contains("sk-wrong") && !m.contains("sk-unmatched")))));
    }

    @Test
    void withoutTheOptionAnUnmatchedRequestFailsNothing() {
        run(NotAsked.class).assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void aRegisteredExtensionCanAskForItToo() {
        Events events = run(Registered.class);

        events.assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        events.assertThatEvents().haveExactly(1, event(test("unmatched"), finishedWithFailure(
                message(m -> m.contains("nothing answered")))));
    }

    @Test
    void aTestThatFailedOnItsOwnIsNotFailedAgain() {
        Events events = run(FailsItself.class);

        events.assertThatEvents().haveExactly(1, event(test("failsFirst"), finishedWithFailure(
                message("its own failure"))));
    }

    @MockServerTest(speed = 0, token = "sk-unmatched", failOnUnmatchedRequests = true,
            classpath = "recordings")
    static class Annotated {
        @Test
        void asksForWhatNoRecordingHas(MockServer server) throws Exception {
            assertThat(RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", "sk-unmatched", true, "user", "nothing"))
                    .status).isEqualTo(404);
        }

        @Test
        void sendsAWrongToken(MockServer server) throws Exception {
            RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", "sk-wrong", true, "user", "hello"));
        }

        @Test
        void asksForWhatARecordingHas(MockServer server) throws Exception {
            assertThat(RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", "sk-unmatched", true, "user", "hello"))
                    .text()).endsWith("Hello there!undefined");
        }
    }

    @MockServerTest(speed = 0)
    static class NotAsked {
        @Test
        void asksForWhatNoRecordingHas(MockServer server) throws Exception {
            assertThat(RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "x")).status).isEqualTo(404);
        }
    }

    static class Registered {
        @RegisterExtension
        static final MockServerExtension mock = new MockServerExtension(MockServer.builder().speed(0)
                .dispatcher(r -> r.messages().get(0).content().equals("known")
                        ? MockResponse.of(RecordedResponse.builder().chunk(0, "ok").build()) : null))
                .failOnUnmatchedRequests();

        @Test
        void matched(MockServer server) throws Exception {
            RawHttp.post(server.baseUri(), RawHttp.chat("m", null, true, "user", "known"));
        }

        @Test
        void unmatched(MockServer server) throws Exception {
            RawHttp.post(server.baseUri(), RawHttp.chat("m", null, true, "user", "unknown"));
        }
    }

    @MockServerTest(speed = 0, failOnUnmatchedRequests = true)
    static class FailsItself {
        @Test
        void failsFirst(MockServer server) throws Exception {
            RawHttp.post(server.baseUri(), RawHttp.chat("m", null, true, "user", "x"));
            throw new AssertionError("its own failure");
        }
    }
}
