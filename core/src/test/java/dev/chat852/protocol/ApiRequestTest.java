package dev.chat852.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.ChatMessage;
import dev.chat852.ChatRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiRequestTest {
    private static final String TOKEN = "sk-secret-852";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void whatTheClientEncodesTheServerParsesBack() {
        ChatRequest request = ChatRequest.builder().system("be brief").user("你好").assistant("hi").user("again")
                .param("temperature", 0.5).param("response_format", Map.of("type", "text")).build();

        ApiRequest parsed = ApiRequest.parse(ApiRequest.encode(request, "gpt-4", TOKEN, true));

        assertThat(parsed.problem()).isEmpty();
        assertThat(parsed.model()).isEqualTo("gpt-4");
        assertThat(parsed.token()).isEqualTo(TOKEN);
        assertThat(parsed.messages()).containsExactly(ChatMessage.system("be brief"), ChatMessage.user("你好"),
                ChatMessage.assistant("hi"), ChatMessage.user("again"));
        assertThat(parsed.stream()).isTrue();
        assertThat(parsed.json().get("params").toString())
                .isEqualTo("{\"n\":1,\"temperature\":0.5,\"response_format\":{\"type\":\"text\"},\"stream\":true}");
        assertThat(ApiRequest.parse(ApiRequest.encode(request, "gpt-4", TOKEN, false)).stream()).isFalse();
    }

    @Test
    void theBodyIsTheVendorsShapeWithTheTokenLeftOutWhenThereIsNone() {
        String body = new String(ApiRequest.encode(ChatRequest.of("hi"), ChatApi.DEFAULT_MODEL, null, true),
                StandardCharsets.UTF_8);

        assertThat(body).isEqualTo("{\"model\":\"gpt-3.5-turbo-1106\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"params\":{\"n\":1,\"stream\":true}}");
        assertThat(ApiRequest.parse(utf8(body)).token()).isNull();
    }

    @Test
    void theRequestsOwnNIsKeptAndItsStreamIsTheCallsChoice() {
        ChatRequest request = ChatRequest.builder().user("hi").param("n", 3).build();

        assertThat(ApiRequest.parse(ApiRequest.encode(request, "m", null, false)).json().get("params").toString())
                .isEqualTo("{\"n\":3,\"stream\":false}");
    }

    @Test
    void aParamThatCannotBeWrittenAsJsonIsRefusedNamingIt() {
        ChatRequest request = ChatRequest.builder().user("hi").param("weird", new Object()).build();

        assertThatThrownBy(() -> ApiRequest.encode(request, "m", null, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("params.weird cannot be written as JSON");
    }

    @Test
    void theTokenIsSplitOffTheJsonAndNeverPrinted() {
        ApiRequest parsed = ApiRequest.parse(ApiRequest.encode(ChatRequest.of("hi"), "m", TOKEN, true));

        assertThat(parsed.json().has("token")).isFalse();
        assertThat(parsed.toString()).doesNotContain(TOKEN).isEqualTo("model=m, 1 message(s)");
        parsed.json().put("token", "changed");
        assertThat(parsed.json().has("token")).as("json() is a copy").isFalse();
    }

    @Test
    void aBodyThatIsNotAJsonObjectSaysSo() {
        for (String body : new String[] {"", "[1]", "\"text\"", "{\"a\":1}x", "{"}) {
            ApiRequest parsed = ApiRequest.parse(utf8(body));
            assertThat(parsed.problem()).as(body).contains("the request body is not a JSON object");
            assertThat(parsed.json()).isNull();
            assertThat(parsed.messages()).isEmpty();
        }
    }

    @Test
    void badMessagesAreNamedWithTheirIndexAndWhatCouldBeReadIsKept() {
        ApiRequest notArray = ApiRequest.parse(utf8("{\"model\":\"m\",\"token\":\"t\",\"messages\":{}}"));
        ApiRequest notObject = ApiRequest.parse(utf8("{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},7]}"));

        assertThat(notArray.problem()).contains("messages must be an array");
        assertThat(notArray.model()).isEqualTo("m");
        assertThat(notArray.token()).isEqualTo("t");
        assertThat(notObject.problem()).contains("messages[1] must be an object");
        assertThat(notObject.messages()).isEmpty();
    }

    @Test
    void contentThatIsNotTextIsKeptAsItsJsonAndMissingContentIsEmpty() {
        ApiRequest parsed = ApiRequest.parse(utf8("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]},"
                + "{\"role\":\"user\"},{\"content\":null}]}"));

        assertThat(parsed.messages()).containsExactly(new ChatMessage("user", "[{\"type\":\"text\"}]"),
                new ChatMessage("user", ""), new ChatMessage("", ""));
    }

    @Test
    void streamingIsAssumedUnlessParamsSayFalse() {
        assertThat(ApiRequest.parse(utf8("{}")).stream()).isTrue();
        assertThat(ApiRequest.parse(utf8("{\"params\":{\"stream\":\"false\"}}")).stream()).isFalse();
        assertThat(ApiRequest.parse(utf8("{\"params\":{\"stream\":0}}")).stream()).isTrue();
        assertThat(ApiRequest.parseMessages(ApiRequest.parse(utf8("{\"messages\":[]}")).json().get("messages"), "m"))
                .isEqualTo(List.of());
    }
}
