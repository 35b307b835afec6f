package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultReplayTest {
    /** 40 bytes in four chunks of ten. */
    private static final RecordedResponse TEN_TEN_TEN_TEN = RecordedResponse.builder()
            .chunk(0, "0123456789").chunk(0, "abcdefghij").chunk(0, "ABCDEFGHIJ").chunk(0, "klmnopqrst").build();

    private MockServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private RawHttp.Response replay(MockServer.Builder builder) throws Exception {
        server = builder.speed(0).build().start();
        return RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "hi"));
    }

    @Test
    void resetAfterNBytesDeliversAtMostThoseBytesThenAConnectionReset() throws Exception {
        RawHttp.Response response = replay(MockServer.builder().recording(Recording.of(TEN_TEN_TEN_TEN))
                .fault(Fault.parse("reset:15")));

        assertThat(response.complete).isFalse();
        assertThat(response.error).isInstanceOf(SocketException.class);
        assertThat(response.error.getMessage()).containsIgnoringCase("reset");
        assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo("0123456789abcde".substring(0, response.body().length));
    }

    @Test
    void truncateAfterNBytesClosesCleanlyWithExactlyThoseBytes() throws Exception {
        RawHttp.Response response = replay(MockServer.builder().recording(Recording.of(TEN_TEN_TEN_TEN))
                .fault(Fault.truncate(15)));

        assertThat(response.complete).isFalse();
        assertThat(response.error).isNull();
        assertThat(response.text()).isEqualTo("0123456789abcde");
        // The cut falls inside a recorded chunk: the bytes before it still go as one chunk.
        assertThat(response.chunks).extracting(c -> c.length).containsExactly(10, 5);
    }

    @Test
    void stallAfterNBytesPausesThenSendsTheRest() throws Exception {
        RawHttp.Response response = replay(MockServer.builder().recording(Recording.of(TEN_TEN_TEN_TEN))
                .fault(Fault.parse("stall:20:400")));

        assertThat(response.complete).isTrue();
        assertThat(response.text()).isEqualTo("0123456789abcdefghijABCDEFGHIJklmnopqrst");
        assertThat(response.gapMillis(2)).isGreaterThanOrEqualTo(350);
        assertThat(response.gapMillis(1)).isLessThan(350);
    }

    @Test
    void stallIsRealTimeEvenAtSpeedZero() throws Exception {
        RawHttp.Response response = replay(MockServer.builder().recording(Recording.of(TEN_TEN_TEN_TEN))
                .fault(Fault.stall(0, 300)));

        assertThat(response.millisToChunk(0)).isGreaterThanOrEqualTo(250);
        assertThat(response.headersNanos - response.sentNanos).isLessThan(250_000_000L);
    }

    @Test
    void statusFaultAnswersWithThatStatusAndAnUpstreamStyleBody() throws Exception {
        RawHttp.Response response = replay(MockServer.builder().recording(Recording.of(TEN_TEN_TEN_TEN))
                .fault(Fault.parse("status:503")));

        assertThat(response.status).isEqualTo(503);
        assertThat(response.headers.get("content-type")).startsWith("application/json");
        assertThat(response.text()).isEqualTo("{\"code\":503,\"message\":\"chat852 mock: fault status 503\",\"data\":null}");
    }

    @Test
    void delayFaultHoldsBackTheStatusLine() throws Exception {
        RawHttp.Response response = replay(MockServer.builder().recording(Recording.of(TEN_TEN_TEN_TEN))
                .fault(Fault.delay(300)));

        assertThat((response.headersNanos - response.sentNanos) / 1_000_000).isGreaterThanOrEqualTo(250);
        assertThat(response.complete).isTrue();
    }

    @Test
    void aRecordingsOwnFaultAppliesOnlyToIt() throws Exception {
        server = MockServer.builder().speed(0)
                .recording(Recording.builder().request(RecordedRequest.builder().message("user", "broken").build())
                        .response(TEN_TEN_TEN_TEN.newBuilder().fault(Fault.truncate(3)).build()).build())
                .recording(Recording.of(TEN_TEN_TEN_TEN))
                .build().start();

        RawHttp.Response broken = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "broken"));
        RawHttp.Response fine = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "fine"));

        assertThat(broken.text()).isEqualTo("012");
        assertThat(broken.complete).isFalse();
        assertThat(fine.complete).isTrue();
    }

    @Test
    void theEarliestEndingFaultWins() throws Exception {
        RawHttp.Response response = replay(MockServer.builder().recording(Recording.of(TEN_TEN_TEN_TEN))
                .fault(Fault.reset(30)).fault(Fault.truncate(12)));

        assertThat(response.text()).isEqualTo("0123456789ab");
        assertThat(response.error).isNull();
    }

    @Test
    void faultsPastTheEndReplaceTheEndOfTheResponse() throws Exception {
        RawHttp.Response response = replay(MockServer.builder().recording(Recording.of(TEN_TEN_TEN_TEN))
                .fault(Fault.truncate(1_000)));

        assertThat(response.body()).hasSize(40);
        assertThat(response.complete).as("no terminating chunk").isFalse();
    }
}
