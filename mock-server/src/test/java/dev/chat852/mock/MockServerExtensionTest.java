package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs small test classes that use the extension (nested here, so the build does not run them on
 * their own) and checks their outcome and the servers they had.
 */
class MockServerExtensionTest {
    static final List<MockServer> seen = new CopyOnWriteArrayList<>();

    private static Events run(Class<?> testClass) {
        seen.clear();
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute().testEvents();
    }

    private static boolean listening(MockServer server) {
        try (Socket s = new Socket(server.baseUri().getHost(), server.baseUri().getPort())) {
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anAnnotatedClassSharesOneServerResetBetweenTestsAndClosesItAfterwards() {
        Events events = run(AnnotatedClass.class);

        events.assertStatistics(s -> s.started(5).succeeded(5));
        assertThat(seen).hasSize(5);
        assertThat(List.of(seen.get(0), seen.get(1), seen.get(3), seen.get(4))).as("the class's server, nested classes too")
                .containsOnly(seen.get(0));
        assertThat(seen.get(2)).as("a method with its own annotation gets its own server").isNotSameAs(seen.get(0));
        assertThat(seen).noneMatch(MockServerExtensionTest::listening);
    }

    @Test
    void aStaticRegisteredExtensionServesTheClassFromItsBuilder() {
        Events events = run(StaticField.class);

        events.assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(seen).hasSize(2).containsOnly(seen.get(0));
        assertThat(listening(seen.get(0))).isFalse();
    }

    @Test
    void anInstanceRegisteredExtensionGivesEachTestItsOwnServer() {
        Events events = run(InstanceField.class);

        events.assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(seen).hasSize(2).doesNotHaveDuplicates();
        assertThat(seen).noneMatch(MockServerExtensionTest::listening);
    }

    @MockServerTest(classpath = "recordings", speed = 0)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class AnnotatedClass {
        private final MockServer fromConstructor;

        AnnotatedClass(MockServer server) {
            this.fromConstructor = server;
        }

        @Test
        @Order(1)
        void servesTheClasspathRecordings(MockServer server) throws Exception {
            seen.add(server);
            assertThat(fromConstructor).isSameAs(server);
            RawHttp.Response response = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "hello"));
            assertThat(response.text()).isEqualTo("start852{\"apiDate\":\"2026-11-25\"}end852Hello there!undefined");
            server.enqueue(Recording.of(RecordedResponse.apiError(500, "left over")));
            assertThat(server.requests()).hasSize(1);
        }

        @Test
        @Order(2)
        void startsEachTestWithNoRequestsAndNoLeftOverRecordings(MockServer server) throws Exception {
            seen.add(server);
            assertThat(server.requests()).isEmpty();
            RawHttp.Response response = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "你好"));
            assertThat(response.text()).isEqualTo("start852{}end852你好");
        }

        @Test
        @Order(3)
        @MockServerTest(demo = true, speed = 0, token = "sk-method")
        void aMethodAnnotationConfiguresAServerOfItsOwn(MockServer server) throws Exception {
            seen.add(server);
            RawHttp.Response wrongToken = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", "sk-other", true, "user", "x"));
            RawHttp.Response demo = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", "sk-method", true, "user", "x"));
            assertThat(wrongToken.text()).contains("401");
            assertThat(server.requests().get(1).matched()).hasValue("demo-en");
            assertThat(demo.complete).isTrue();
        }

        @Test
        @Order(4)
        void theClassServerIsBackAfterAMethodServer(MockServer server) {
            seen.add(server);
            assertThat(server.requests()).isEmpty();
        }

        @Nested
        class Inner {
            @Test
            void sharesTheEnclosingClassesServer(MockServer server) throws Exception {
                seen.add(server);
                RawHttp.Response response = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "hello"));
                assertThat(response.text()).endsWith("Hello there!undefined");
            }
        }
    }

    static class StaticField {
        @RegisterExtension
        static final MockServerExtension mock = new MockServerExtension(MockServer.builder().speed(0)
                .recording(Recording.of(RecordedResponse.builder().chunk(0, "fixed").build())));

        @Test
        void servesTheBuildersRecordings() throws Exception {
            seen.add(mock.server());
            assertThat(RawHttp.post(mock.server().baseUri(), RawHttp.chat("m", null, true)).text()).isEqualTo("fixed");
        }

        @Test
        void takesPerTestResponsesWithFaults(MockServer server) throws Exception {
            seen.add(server);
            server.enqueue(Recording.of(RecordedResponse.builder().chunk(0, "broken answer").fault(Fault.truncate(6)).build()));
            RawHttp.Response response = RawHttp.post(server.baseUri(), RawHttp.chat("m", null, true));
            assertThat(response.text()).isEqualTo("broken");
            assertThat(response.complete).isFalse();
        }
    }

    static class InstanceField {
        @RegisterExtension
        final MockServerExtension mock = new MockServerExtension(MockServer.builder().speed(0));

        @Test
        void one() throws Exception {
            seen.add(mock.server());
            assertThat(RawHttp.post(mock.server().baseUri(), RawHttp.chat("m", null, true)).status).isEqualTo(404);
        }

        @Test
        void two(MockServer server) {
            seen.add(server);
            assertThat(server).isSameAs(mock.server());
        }
    }
}
