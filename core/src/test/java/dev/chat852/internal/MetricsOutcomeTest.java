package dev.chat852.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ApiException;
import dev.chat852.ChatTimeoutException;
import dev.chat852.HttpStatusException;
import dev.chat852.ProtocolException;
import dev.chat852.TransportException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** The {@code outcome} tag of a call's metrics, from how it ended. */
class MetricsOutcomeTest {

    @Test
    void eachKindOfEndingHasItsOwnOutcome() {
        assertThat(Metrics.Outcome.of(null)).isEqualTo(Metrics.Outcome.SUCCESS);
        assertThat(Metrics.Outcome.of(new CancellationException())).isEqualTo(Metrics.Outcome.CANCELLED);
        assertThat(Metrics.Outcome.of(new ApiException(401, "no", 200))).isEqualTo(Metrics.Outcome.API_ERROR);
        assertThat(Metrics.Outcome.of(new HttpStatusException(502, "bad gateway"))).isEqualTo(Metrics.Outcome.HTTP_ERROR);
        assertThat(Metrics.Outcome.of(new ProtocolException("broken"))).isEqualTo(Metrics.Outcome.PROTOCOL_ERROR);
        assertThat(Metrics.Outcome.of(new ChatTimeoutException(ChatTimeoutException.Kind.IDLE, Duration.ofSeconds(1))))
                .isEqualTo(Metrics.Outcome.TIMEOUT);
        assertThat(Metrics.Outcome.of(new TransportException("reset", new IOException("reset"))))
                .isEqualTo(Metrics.Outcome.TRANSPORT_ERROR);
        assertThat(Metrics.Outcome.of(new IllegalStateException("anything else")))
                .isEqualTo(Metrics.Outcome.TRANSPORT_ERROR);
    }

    @Test
    void theTagIsTheNameInLowerCase() {
        assertThat(Metrics.Outcome.PROTOCOL_ERROR.tag()).isEqualTo("protocol_error");
        assertThat(Metrics.Outcome.SUCCESS.tag()).isEqualTo("success");
    }
}
