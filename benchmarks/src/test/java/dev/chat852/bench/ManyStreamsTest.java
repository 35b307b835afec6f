package dev.chat852.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.ChatClient;
import dev.chat852.spi.Transport;
import dev.chat852.transport.jdk.JdkTransport;
import dev.chat852.transport.netty.NettyTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks that the program holds its streams open together and checks every answer; not how much it costs. */
class ManyStreamsTest {

    @ParameterizedTest
    @ValueSource(strings = {"netty", "jdk"})
    void everyStreamIsOpenAtOnceAndEveryAnswerExact(String transportName) throws Exception {
        ManyStreams.Options o = ManyStreams.Options.parse(new String[] {
            "--transport", transportName, "--streams", "12", "--head-ms", "300", "--text-chunks", "4", "--gap-ms", "150"});
        try (ServerProcess server = ServerProcess.start(PacedServer.class, "300", "4", "150", Integer.toString(o.bodyBytes()));
             Transport transport = transportName.equals("netty")
                     ? NettyTransport.builder().maxConnectionsPerHost(o.maxConnections).build() : JdkTransport.create();
             ChatClient client = ChatClient.builder().baseUrl(server.baseUri().toString()).token("bench")
                     .model(BenchRecordings.MODEL).transport(transport).build()) {

            ManyStreams.Result r = ManyStreams.run(client, o);

            assertThat(r.firstFailure()).isNull();
            assertThat(r.exact()).isEqualTo(12);
            assertThat(r.openAtOnce()).isEqualTo(12);
            assertThat(r.passes()).isTrue();
            assertThat(r.allOpen().javaThreadCount()).isPositive();
            assertThat(r.liveHeapAllOpen()).isPositive();
            assertThat(r.toHeader()).hasSize(12).isSorted();
        }
    }

    @Test
    void connectionsDefaultToOnePerStreamSoNoneWaitsForAConnection() {
        assertThat(ManyStreams.Options.parse(new String[] {"--streams", "1000"}).maxConnections).isEqualTo(1000);
        assertThat(ManyStreams.Options.parse(new String[] {"--streams", "1000", "--max-connections", "64"}).maxConnections)
                .isEqualTo(64);
    }

    @Test
    void aRunPassesOnlyWithEveryStreamOpenAtOnceAndEveryAnswerExact() {
        Footprint f = Footprint.now();
        assertThat(new ManyStreams.Result(3, 3, 3, null, 0, 0, new long[0], f, f, 0, f).passes()).isTrue();
        assertThat(new ManyStreams.Result(3, 2, 3, null, 0, 0, new long[0], f, f, 0, f).passes()).isFalse();
        assertThat(new ManyStreams.Result(3, 3, 2, "text differs", 0, 0, new long[0], f, f, 0, f).passes()).isFalse();
    }

    @Test
    void anUnknownTransportIsRefusedByName() {
        assertThatThrownBy(() -> ManyStreams.Options.parse(new String[] {"--transport", "okhttp"}))
                .hasMessageContaining("--transport must be netty or jdk, was okhttp");
    }
}
