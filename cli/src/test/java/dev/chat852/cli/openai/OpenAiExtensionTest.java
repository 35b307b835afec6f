package dev.chat852.cli.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatClient;
import dev.chat852.ChatRequest;
import dev.chat852.Dialect;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.MockServerTest;
import dev.chat852.spi.Transport;
import dev.chat852.transport.jdk.JdkTransport;
import org.junit.jupiter.api.Test;

/** The JUnit extension's server serves both dialects: the 852 demo and an OpenAI recording from the classpath. */
@MockServerTest(classpath = "openai-recordings", demo = true, speed = 0)
class OpenAiExtensionTest {

    @Test
    void servesTheOpenAiEndpointAndThe852OneFromOneServer(MockServer server) {
        try (Transport transport = JdkTransport.create();
             ChatClient openAi = ChatClient.builder().dialect(Dialect.OPENAI).transport(transport)
                     .baseUrl(server.baseUri().toString()).build();
             ChatClient chat852 = ChatClient.builder().transport(transport).baseUrl(server.baseUri().toString()).build()) {
            assertThat(openAi.complete(ChatRequest.of("hello")).text()).isEqualTo("Hello there!");
            assertThat(openAi.stream(ChatRequest.of("hello")).completion().join().finishReason()).contains("stop");
            assertThat(chat852.stream(ChatRequest.of("hello")).completion().join().text()).startsWith("Hello!");
        }
        assertThat(server.requests()).extracting(r -> r.matched().orElseThrow()).containsExactly("hello", "hello", "demo-en");
    }
}
