package dev.chat852.transport.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatClient;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatStream;
import dev.chat852.protocol.ChatApi;
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
        try (RawServer server = new RawServer();
             JdkTransport transport = JdkTransport.create();
             ChatClient client = ChatClient.builder().transport(transport).baseUrl(server.baseUrl())
                     .token(TestRequests.TOKEN).build()) {
            CompletableFuture<RawServer.Request> received = server.answerOnce(body, 1);

            String text;
            ChatCompletion completion;
            try (ChatStream stream = client.stream("hi")) {
                text = stream.text().collect(Collectors.joining());
                completion = stream.completion().get(10, TimeUnit.SECONDS);
            }

            assertThat(text).isEqualTo("你好");
            assertThat(completion.text()).isEqualTo("你好");
            RawServer.Request request = received.get(10, TimeUnit.SECONDS);
            assertThat(request.requestLine).isEqualTo("POST " + ChatApi.PATH + " HTTP/1.1");
            assertThat(request.body()).contains(TestRequests.TOKEN);
        }
    }
}
