package dev.chat852.mock;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a {@link MockServer} for a JUnit 5 test class (one server for all its tests, reset between
 * them) or a test method (a server of its own, which a method's annotation gets even when its class
 * has one). Test and lifecycle methods receive it as a {@code MockServer} parameter.
 *
 * <pre>{@code
 * @MockServerTest(classpath = "recordings", speed = 0)
 * class ChatTest {
 *     @Test
 *     void answersInChinese(MockServer server) {
 *         server.enqueue(Recording.of(RecordedResponse.builder().chunk(0, "你好").build()));
 *         // ... call server.endpoint() ...
 *         assertThat(server.requests()).singleElement().extracting(ReceivedRequest::model).isEqualTo("gpt-4");
 *     }
 * }
 * }</pre>
 *
 * @see MockServerExtension for a server configured in code
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MockServerExtension.class)
public @interface MockServerTest {

    /** Recording files or folders, relative to the working directory (the module's folder under Maven). */
    String[] recordings() default {};

    /** Classpath folders of recordings, such as {@code "recordings"} for {@code src/test/resources/recordings}. */
    String[] classpath() default {};

    /** Whether to add the bundled {@link Recording#demo()} recordings (after the others). */
    boolean demo() default false;

    /** 1 = recorded timing, 2 = twice as fast, 0 = no delays. */
    double speed() default 1;

    /** Re-chunking, as {@link Rechunk#parse} reads it: {@code recorded}, {@code N}, {@code random:SEED}, {@code bytes}. */
    String rechunk() default "recorded";

    /** Faults for every replay, as {@link Fault#parse} reads them, e.g. {@code "stall:10:500"}. */
    String[] faults() default {};

    /** The token requests must carry; empty for no check. */
    String token() default "";

    /**
     * Whether a test fails when its server received a request that nothing answered (no recording or
     * dispatcher matched it, or the server refused it); see {@link MockServerExtension#failOnUnmatchedRequests()}.
     */
    boolean failOnUnmatchedRequests() default false;
}
