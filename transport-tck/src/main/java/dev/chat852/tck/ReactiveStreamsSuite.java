package dev.chat852.tck;

import dev.chat852.ChatClient;
import dev.chat852.mock.MockServer;
import dev.chat852.spi.Transport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInfo;
import org.opentest4j.TestAbortedException;
import org.reactivestreams.tck.flow.support.PublisherVerificationRules;
import org.testng.SkipException;

/**
 * The Reactive Streams TCK (written for TestNG) run as JUnit 5 dynamic tests, one per publisher rule of
 * {@link PublisherVerificationRules}, against a {@link ChatStreamVerification}: each rule is called as
 * TestNG would (after the verification's {@code setUp()}), a {@link SkipException} becoming a skipped
 * test. So the transport author needs neither TestNG nor its engine.
 *
 * <p>Rules that cannot apply here are not run, each for a reason ({@link #notApplicable}): the TCK's
 * {@code untested_} rules (it has no test for them), the optional multi-subscriber rules 1.11 (a
 * {@code ChatStream} has one consumer, as the rule allows), and the 3.17 rule that needs 2^31 - 1 events
 * (these streams are recordings of at most {@value ChatStreamVerification#MAX_ELEMENTS} events; core's
 * {@code ChatStreamTckTest} runs it on an endless stream from memory).
 */
abstract class ReactiveStreamsSuite {
    private final TransportTck tck;
    private MockServer server;
    private Transport transport;
    private ChatClient client;

    ReactiveStreamsSuite(TransportTck tck) {
        this.tck = tck;
    }

    @BeforeEach
    final void start(TestInfo test) {
        tck.skipIfKnownGap(test);
        server = MockServer.builder().token("tck").speed(0).build().start();
        transport = tck.newTransport();
        client = ChatClient.builder().transport(transport).baseUrl(server.baseUri().toString()).token("tck").build();
    }

    @AfterEach
    final void close() {
        if (server == null) {
            return; // a known gap: skipped before anything was made
        }
        client.close();
        transport.close();
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> chatStreamFollowsThePublisherRules() {
        ChatStreamVerification verification = new ChatStreamVerification(server, client);
        return Arrays.stream(PublisherVerificationRules.class.getMethods())
                .filter(m -> m.getParameterCount() == 0 && notApplicable(m.getName()) == null)
                .sorted(Comparator.comparing(Method::getName))
                .map(rule -> DynamicTest.dynamicTest(rule.getName(), () -> check(verification, rule)));
    }

    /** Why a rule is not run here, or null if it is. */
    static String notApplicable(String rule) {
        if (rule.startsWith("untested_")) {
            return "the Reactive Streams TCK has no test for it";
        }
        if (rule.startsWith("optional_spec111_")) {
            return "a ChatStream has one consumer: rule 1.11 lets a publisher refuse a second subscriber";
        }
        if (rule.equals("required_spec317_mustNotSignalOnErrorWhenPendingAboveLongMaxValue")) {
            return "it needs 2^31 - 1 events, and these streams are recordings of at most "
                    + ChatStreamVerification.MAX_ELEMENTS + " (core's ChatStreamTckTest runs it on an endless stream)";
        }
        return null;
    }

    private static void check(ChatStreamVerification verification, Method rule) throws Throwable {
        verification.setUp();
        try {
            rule.invoke(verification);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SkipException) {
                throw new TestAbortedException(e.getCause().getMessage(), e.getCause());
            }
            throw e.getCause();
        }
    }
}
