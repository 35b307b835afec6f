package dev.chat852.mock;

import dev.chat852.mock.internal.RecordingFiles;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension that runs a {@link MockServer} on a free port. Registered on a class (by
 * {@link MockServerTest} or a static {@code @RegisterExtension} field) it serves the whole class and is
 * {@linkplain MockServer#reset() reset} before each test, so enqueued recordings and received requests
 * never leak between tests; registered on a method or an instance field it serves that test only.
 *
 * <pre>{@code
 * class ChatTest {
 *     @RegisterExtension
 *     static final MockServerExtension mock = new MockServerExtension(
 *             MockServer.builder().recordings(Recording.fromClasspath("recordings")).speed(0));
 *
 *     @Test
 *     void survivesAReset() {
 *         mock.server().enqueue(Recording.of(RecordedResponse.builder()
 *                 .chunk(0, "start852{}end852").chunk(20, "你好").fault(Fault.reset(10)).build()));
 *         // ... call mock.server().endpoint() ...
 *     }
 * }
 * }</pre>
 *
 * <p>With {@link #failOnUnmatchedRequests()} (or {@code @MockServerTest(failOnUnmatchedRequests = true)}),
 * a test that passed fails after it if the server got a request that nothing answered: no recording
 * or dispatcher matched it, or the server refused it (wrong token, bad body, another path) — as
 * WireMock's {@code failOnUnmatchedRequests}. The failure lists each such request, without its token.
 *
 * <p>Depends on {@code junit-jupiter-api}, which this artifact declares optional: tests have it.
 */
public final class MockServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MockServerExtension.class);
    private static final String KEY = "server";

    private final MockServer.Builder builder;
    private volatile boolean failOnUnmatched;
    private volatile MockServer classServer;
    private volatile MockServer methodServer;

    /** Configured by {@link MockServerTest} on the test method or class, or a plain server if neither has it. */
    public MockServerExtension() {
        this.builder = null;
    }

    /** Builds each server it starts from {@code builder} (annotations are then ignored). */
    public MockServerExtension(MockServer.Builder builder) {
        this.builder = builder;
    }

    /**
     * Makes each test fail if its server received a request nothing answered (see the class comment).
     *
     * @return this extension, for a {@code @RegisterExtension} field's initializer
     */
    public MockServerExtension failOnUnmatchedRequests() {
        this.failOnUnmatched = true;
        return this;
    }

    /**
     * The running server: the test method's own if it has one, else the class's.
     *
     * @throws IllegalStateException outside a test
     */
    public MockServer server() {
        MockServer s = methodServer != null ? methodServer : classServer;
        if (s == null) {
            throw new IllegalStateException("no mock server: it runs only while a test does");
        }
        return s;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // A @Nested class shares its enclosing class's server unless it is configured itself.
        boolean ownAnnotation = builder == null && annotation(context.getRequiredTestClass()).isPresent();
        if (context.getStore(NAMESPACE).get(KEY, MockServer.class) != null && !ownAnnotation) {
            return;
        }
        MockServer server = start(context.getRequiredTestClass());
        context.getStore(NAMESPACE).put(KEY, server);
        classServer = server;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // Only this class's own entry: an enclosing class's server stays for its other tests.
        MockServer server = context.getStore(NAMESPACE).remove(KEY, MockServer.class);
        if (server != null) {
            classServer = context.getStore(NAMESPACE).get(KEY, MockServer.class);
            server.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        boolean ownAnnotation = builder == null && annotation(context.getRequiredTestMethod()).isPresent();
        MockServer inherited = context.getStore(NAMESPACE).get(KEY, MockServer.class);
        if (inherited != null && !ownAnnotation) {
            inherited.reset();
            return;
        }
        MockServer server = start(context.getRequiredTestMethod());
        context.getStore(NAMESPACE).put(KEY, server);
        methodServer = server;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        MockServer used = context.getStore(NAMESPACE).get(KEY, MockServer.class);
        try {
            if (used != null && failsOnUnmatched(context) && context.getExecutionException().isEmpty()) {
                List<ReceivedRequest> unmatched = new ArrayList<>();
                used.requests().stream().filter(r -> r.matched().isEmpty()).forEach(unmatched::add);
                if (!unmatched.isEmpty()) {
                    throw new AssertionError("chat852 mock: " + unmatched.size() + " request(s) that nothing answered"
                            + " (no recording or dispatcher matched, or the server refused them): " + unmatched);
                }
            }
        } finally {
            if (methodServer != null) {
                // Only the method's own store entry: the class's stays for the next test.
                MockServer server = context.getStore(NAMESPACE).remove(KEY, MockServer.class);
                methodServer = null;
                if (server != null) {
                    server.close();
                }
            }
        }
    }

    /** From {@link #failOnUnmatchedRequests()}, or else the nearest {@link MockServerTest} (method, then class). */
    private boolean failsOnUnmatched(ExtensionContext context) {
        if (builder != null) {
            return failOnUnmatched;
        }
        Optional<MockServerTest> settings = annotation(context.getRequiredTestMethod());
        if (settings.isEmpty()) {
            settings = annotation(context.getRequiredTestClass());
        }
        return failOnUnmatched || settings.map(MockServerTest::failOnUnmatchedRequests).orElse(false);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MockServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        MockServer server = context.getStore(NAMESPACE).get(KEY, MockServer.class);
        if (server == null) {
            throw new ParameterResolutionException("no mock server has started yet for " + context.getDisplayName()
                    + ": a per-test server is not there for a constructor; take it as a test method parameter");
        }
        return server;
    }

    private MockServer start(AnnotatedElement element) {
        MockServer.Builder b = builder;
        if (b == null) {
            b = MockServer.builder();
            Optional<MockServerTest> settings = annotation(element);
            if (settings.isPresent()) {
                configure(b, settings.get(), element);
            }
        }
        return b.build().start();
    }

    private static Optional<MockServerTest> annotation(AnnotatedElement element) {
        return AnnotationSupport.findAnnotation(element, MockServerTest.class);
    }

    private static void configure(MockServer.Builder b, MockServerTest settings, AnnotatedElement element) {
        ClassLoader loader = element instanceof Class ? ((Class<?>) element).getClassLoader()
                : ((java.lang.reflect.Method) element).getDeclaringClass().getClassLoader();
        for (String path : settings.recordings()) {
            b.recordings(Path.of(path));
        }
        for (String folder : settings.classpath()) {
            b.recordings(RecordingFiles.fromClasspath(folder, loader));
        }
        if (settings.demo()) {
            b.recordings(Recording.demo());
        }
        b.speed(settings.speed()).rechunk(Rechunk.parse(settings.rechunk()));
        for (String fault : settings.faults()) {
            b.fault(Fault.parse(fault));
        }
        if (!settings.token().isEmpty()) {
            b.token(settings.token());
        }
    }
}
