package dev.chat852.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ApiEnvelopeTest {

    @Test
    void anErrorAsTheServerBuildsItIsWhatTheClientParses() {
        String body = ApiEnvelope.error(401, "token无效 \"quoted\"");

        assertThat(body).isEqualTo("{\"code\":401,\"message\":\"token无效 \\\"quoted\\\"\",\"data\":null}");
        ApiEnvelope parsed = ApiEnvelope.parse(body).orElseThrow();
        assertThat(parsed.code()).isEqualTo(401);
        assertThat(parsed.message()).isEqualTo("token无效 \"quoted\"");
        assertThat(parsed.success()).isFalse();
        assertThat(parsed.data().isNull()).isTrue();
    }

    @Test
    void aSuccessCarriesTheServicesMessageAndTheData() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.putObject("completion").put("id", "c1");

        ApiEnvelope parsed = ApiEnvelope.parse(ApiEnvelope.success(data)).orElseThrow();

        assertThat(parsed.success()).isTrue();
        assertThat(parsed.message()).isEqualTo(ChatApi.SUCCESS_MESSAGE);
        assertThat(parsed.data()).isEqualTo(data);
    }

    @Test
    void onlyAnObjectWithAnIntegerCodeIsAnEnvelope() {
        for (String notOne : new String[] {"", "{", "[]", "\"x\"", "{\"message\":\"m\"}", "{\"code\":\"500\"}",
                "{\"code\":1.5e10}", "{\"code\":200}x"}) {
            assertThat(ApiEnvelope.parse(notOne)).as(notOne).isEmpty();
        }
    }

    @Test
    void aMissingMessageIsNullAndReadsAsEmptyText() {
        ApiEnvelope parsed = ApiEnvelope.parse("{\"code\":500}").orElseThrow();

        assertThat(parsed.message()).isNull();
        assertThat(parsed.messageOrEmpty()).isEmpty();
        assertThat(parsed.toJson().toString()).isEqualTo("{\"code\":500,\"data\":null}");
    }
}
