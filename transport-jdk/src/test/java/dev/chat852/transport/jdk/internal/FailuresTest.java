package dev.chat852.transport.jdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    private static final Duration TIMEOUT = Duration.ofMillis(250);

    @Test
    void unwrapsCompletionAndExecutionExceptionsToTheRealCause() {
        IOException cause = new IOException("reset");

        Throwable t = Failures.translate(new CompletionException(new ExecutionException(cause)), TIMEOUT);

        assertThat(t).isSameAs(cause);
    }

    @Test
    void aConnectTimeoutAnywhereInTheChainIsChatTimeoutExceptionOfKindConnect() {
        ConnectException wrapped = new ConnectException("HTTP connect timed out");
        wrapped.initCause(new HttpConnectTimeoutException("HTTP connect timed out"));

        Throwable t = Failures.translate(new CompletionException(wrapped), TIMEOUT);

        assertThat(t).isInstanceOfSatisfying(ChatTimeoutException.class, e -> {
            assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.CONNECT);
            assertThat(e.timeout()).isEqualTo(TIMEOUT);
            assertThat(e.getCause()).isSameAs(wrapped);
        });
    }

    @Test
    void otherFailuresPassAsTheyAre() {
        ConnectException refused = new ConnectException("Connection refused");

        assertThat(Failures.translate(refused, TIMEOUT)).isSameAs(refused);
    }
}
