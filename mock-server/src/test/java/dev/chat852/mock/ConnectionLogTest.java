package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.protocol.ChatApi;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server's view of its connections: open, closed by the client, or closed by the server. */
class ConnectionLogTest {

    private static MockServer serve(Fault... faults) {
        return MockServer.builder().speed(1).faults(List.of(faults)).recording(Recording.of(RecordedResponse.builder()
                .chunk(0, "start852{}end852first ").chunk(60_000, "never sent in time").build())).build().start();
    }

    private static void awaitClosed(MockServer server) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.connections().stream().anyMatch(MockConnection::isOpen) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void aClientThatClosesMidStreamIsRecordedAsClosingTheConnection() throws Exception {
        try (MockServer server = serve()) {
            try (RawHttp http = new RawHttp(server.baseUri())) {
                http.write("POST", ChatApi.PATH, Map.of(), RawHttp.chat("m", null, true, "user", "hi"));
                while (server.requests().isEmpty()) {
                    Thread.sleep(5);
                }
                assertThat(server.connections()).singleElement().satisfies(c -> {
                    assertThat(c.isOpen()).isTrue();
                    assertThat(c.id()).isEqualTo(1);
                    assertThat(c.remoteAddress()).contains("127.0.0.1");
                });
            } // the client closes mid-stream
            awaitClosed(server);
            assertThat(server.connections()).singleElement().satisfies(c -> {
                assertThat(c.isOpen()).isFalse();
                assertThat(c.closedByClient()).isTrue();
                assertThat(c).hasToString("MockConnection#1{" + c.remoteAddress() + ", closed by the client}");
            });
        }
    }

    @Test
    void aConnectionTheServerEndsWithAFaultIsNotClosedByTheClient() throws Exception {
        try (MockServer server = serve(Fault.truncate(5))) {
            RawHttp.Response response = RawHttp.post(server.baseUri(), RawHttp.chat("m", null, true, "user", "hi"));
            assertThat(response.complete).isFalse();
            awaitClosed(server);
            assertThat(server.connections()).singleElement().satisfies(c -> {
                assertThat(c.isOpen()).isFalse();
                assertThat(c.closedByClient()).isFalse();
            });
        }
    }

    @Test
    void aResetFaultIsTheServerClosingTheConnection() throws Exception {
        try (MockServer server = serve(Fault.reset(5))) {
            RawHttp.Response response = RawHttp.post(server.baseUri(), RawHttp.chat("m", null, true, "user", "hi"));
            assertThat(response.complete).isFalse();
            awaitClosed(server);
            assertThat(server.connections()).singleElement().satisfies(c -> {
                assertThat(c.isOpen()).isFalse();
                assertThat(c.closedByClient()).isFalse();
                assertThat(c.bodyBytesSent()).isEqualTo(5);
            });
        }
    }

    @Test
    void aCompleteAnswerToARequestThatSaidCloseIsTheServerClosingAndOneKeptAliveIsClosedByItsClient() throws Exception {
        try (MockServer server = MockServer.builder().speed(0)
                .recording(Recording.of(RecordedResponse.builder().chunk(0, "whole").build())).build().start()) {
            try (RawHttp http = new RawHttp(server.baseUri())) {
                RawHttp.Response last = http.send("POST", ChatApi.PATH, Map.of("Connection", "close"),
                        RawHttp.chat("m", null, true, "user", "hi"));
                assertThat(last.complete).isTrue();
                assertThat(http.closedByServer()).isTrue();
            }
            try (RawHttp http = new RawHttp(server.baseUri())) {
                RawHttp.Response kept = http.send("POST", ChatApi.PATH, Map.of(), RawHttp.chat("m", null, true, "user", "hi"));
                assertThat(kept.complete).isTrue();
            } // the client closes the kept-alive connection
            awaitClosed(server);
            assertThat(server.connections()).extracting(MockConnection::closedByClient).containsExactly(false, true);
            assertThat(server.connections()).extracting(MockConnection::bodyBytesSent).containsExactly(5L, 5L);
        }
    }

    @Test
    void connectionsDroppedWhenTheServerClosesAreNotClosedByTheirClientsAndResetForgetsClosedOnes() throws Exception {
        MockServer server = serve();
        RawHttp http = new RawHttp(server.baseUri());
        http.write("POST", ChatApi.PATH, Map.of(), RawHttp.chat("m", null, true, "user", "hi"));
        while (server.requests().isEmpty()) {
            Thread.sleep(5);
        }
        server.close();
        http.close();
        assertThat(server.connections()).singleElement().satisfies(c -> {
            assertThat(c.isOpen()).isFalse();
            assertThat(c.closedByClient()).isFalse();
        });
        server.reset();
        assertThat(server.connections()).isEmpty();
    }
}
