package dev.chat852.transport.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatClient;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatStream;
import dev.chat852.protocol.ChatApi;
import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.Peer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The whole path: ChatClient, this transport, a server that dribbles the answer one byte at a time. */
class JdkTransportEndToEndTest {

    @Test
    void streamsAnAnswerSentOneByteAtATimeThroughChatClient() throws Exception {
        byte[] body = "start852{\"a\":1}end852你好undefined".getBytes(StandardCharsets.UTF_8);
        try (HostileServer server = HostileServer.interactive();
             JdkTransport transport = JdkTransport.create();
             ChatClient client = ChatClient.builder().transport(transport).baseUrl(server.baseUri().toString())
                     .token(TestRequests.TOKEN).build()) {
            CompletableFuture<Peer.Request> received = TestRequests.answerOnce(server, body, 1);

            String text;
            ChatCompletion completion;
            try (ChatStream stream = client.stream("hi")) {
                text = stream.text().collect(Collectors.joining());
                completion = stream.completion().get(10, TimeUnit.SECONDS);
            }

            assertThat(text).isEqualTo("你好");
            assertThat(completion.text()).isEqualTo("你好");
            Peer.Request request = received.get(10, TimeUnit.SECONDS);
            assertThat(request.line()).isEqualTo("POST " + ChatApi.PATH + " HTTP/1.1");
            assertThat(request.bodyText()).contains(TestRequests.TOKEN);
        }
    }
}
