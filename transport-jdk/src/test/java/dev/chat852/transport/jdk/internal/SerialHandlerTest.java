package dev.chat852.transport.jdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.spi.ResponseHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SerialHandlerTest {
    private final List<String> calls = new ArrayList<>();
    private final List<String> endings = new ArrayList<>();
    private Runnable onBody = () -> { };
    private final SerialHandler out = new SerialHandler(new ResponseHandler() {
        @Override
        public void onResponse(int status, Map<String, List<String>> headers) {
            calls.add("response " + status);
        }

        @Override
        public void onBody(ByteBuffer chunk) {
            calls.add("body " + StandardCharsets.UTF_8.decode(chunk));
            onBody.run();
        }

        @Override
        public void onComplete() {
            calls.add("complete");
        }

        @Override
        public void onError(Throwable error) {
            calls.add("error " + error.getMessage());
        }
    }, completed -> endings.add(completed ? "completed" : "failed"));

    @Test
    void eachNonEmptyBufferOfAReadIsOneOnBodyInOrder() {
        out.response(200, Map.of());
        out.body(List.of(utf8("a"), ByteBuffer.allocate(0), utf8("b")));
        out.complete();

        assertThat(calls).containsExactly("response 200", "body a", "body b", "complete");
        assertThat(endings).containsExactly("completed");
    }

    @Test
    void nothingFollowsTheFirstEnd() {
        out.response(200, Map.of());
        out.error(new IOException("reset"));
        out.complete();
        out.error(new IOException("again"));
        out.body(List.of(utf8("late")));

        assertThat(calls).containsExactly("response 200", "error reset");
        assertThat(endings).containsExactly("failed");
    }

    @Test
    void nothingIsDeliveredAfterStopNotEvenTheRestOfTheRead() {
        onBody = out::stop; // the handler cancels from inside onBody
        out.response(200, Map.of());
        out.body(List.of(utf8("a"), utf8("b")));
        out.complete();

        assertThat(calls).containsExactly("response 200", "body a");
        assertThat(endings).isEmpty();
    }

    @Test
    void signalsOfferedFromInsideTheHandlerWaitUntilItReturns() {
        onBody = () -> {
            out.complete();
            calls.add("onBody returns");
        };
        out.response(200, Map.of());
        out.body(List.of(utf8("a")));

        assertThat(calls).containsExactly("response 200", "body a", "onBody returns", "complete");
    }

    @Test
    void aHandlerThatThrowsIsToldSoAndNothingElse() {
        onBody = () -> {
            throw new IllegalStateException("bug");
        };
        out.response(200, Map.of());
        out.body(List.of(utf8("a"), utf8("b")));
        out.complete();

        assertThat(calls).containsExactly("response 200", "body a", "error bug");
        assertThat(endings).containsExactly("failed");
    }

    @Test
    void anErrorFromTheHandlerEndsTheExchangeWithItAndIsRethrownNotSwallowed() {
        OutOfMemoryError oom = new OutOfMemoryError("heap");
        onBody = () -> {
            throw oom;
        };
        out.response(200, Map.of());
        assertThatThrownBy(() -> out.body(List.of(utf8("a"), utf8("b")))).isSameAs(oom);
        out.body(List.of(utf8("c")));
        out.complete();

        assertThat(calls).containsExactly("response 200", "body a", "error heap");
        assertThat(endings).containsExactly("failed");
        assertThat(out.stopped()).isTrue();
    }

    @Test
    void anErrorFromOnCompleteStillEndsTheExchange() {
        SerialHandler throwing = new SerialHandler(new ResponseHandler() {
            @Override
            public void onResponse(int status, Map<String, List<String>> headers) {
            }

            @Override
            public void onBody(ByteBuffer chunk) {
            }

            @Override
            public void onComplete() {
                throw new StackOverflowError("deep");
            }

            @Override
            public void onError(Throwable error) {
                calls.add("error " + error.getMessage());
            }
        }, completed -> endings.add(completed ? "completed" : "failed"));
        throwing.response(200, Map.of());
        assertThatThrownBy(throwing::complete).isInstanceOf(StackOverflowError.class);
        throwing.error(new IllegalStateException("late"));

        assertThat(endings).containsExactly("completed");
        assertThat(calls).isEmpty();
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
