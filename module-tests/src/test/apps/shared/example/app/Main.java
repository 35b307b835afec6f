package example.app;

import dev.chat852.ChatClient;
import dev.chat852.ChatEvent;
import dev.chat852.ChatStream;

/**
 * Streams one answer: {@code Main BASE_URL TOKEN PROMPT}. The transport is whichever the module path
 * holds: this class is compiled into both {@code example.jdk} and {@code example.netty}.
 */
public final class Main {
    public static void main(String[] args) {
        try (ChatClient client = ChatClient.builder().baseUrl(args[0]).token(args[1]).build();
                ChatStream stream = client.stream(args[2])) {
            System.out.println("transport: " + client.transportName() + " in " + client.getClass().getModule().getName());
            stream.events().forEach(event -> {
                if (event instanceof ChatEvent.HeaderReceived) {
                    System.out.println("header: " + ((ChatEvent.HeaderReceived) event).header().json().get("apiDate").asText());
                } else if (event instanceof ChatEvent.TextDelta) {
                    System.out.print(((ChatEvent.TextDelta) event).text());
                }
            });
            System.out.println();
        }
    }
}
