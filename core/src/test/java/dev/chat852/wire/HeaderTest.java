package dev.chat852.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The typed getters' loose reading of what the API sends, and a header's identity. */
class HeaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Header header(String raw) throws Exception {
        return new Header(raw, JSON.readTree(raw));
    }

    @Test
    void booleansAreReadFromTrueFalseNumbersAndTheirStringsOnly() throws Exception {
        assertThat(header("{\"isSdHide\":\"true\"}").sdHide()).contains(true);
        assertThat(header("{\"isSdHide\":\"false\"}").sdHide()).contains(false);
        assertThat(header("{\"isSdHide\":0}").sdHide()).contains(false);
        assertThat(header("{\"isSdHide\":2}").sdHide()).contains(true);
        assertThat(header("{\"isSdHide\":\"yes\"}").sdHide()).isEmpty();
        assertThat(header("{\"isSdHide\":null}").sdHide()).isEmpty();
        assertThat(header("{\"isHasGPT4Auth\":[true]}").gpt4Authorized()).isEmpty();
        assertThat(header("{}").gpt4Authorized()).isEmpty();
    }

    @Test
    void numbersAreReadFromIntegersAndNumericStringsOnly() throws Exception {
        assertThat(header("{\"sdLimitCount\":\" 7 \"}").sdLimitCount()).hasValue(7);
        assertThat(header("{\"sdLimitCount\":\"seven\"}").sdLimitCount()).isEmpty();
        assertThat(header("{\"sdLimitCount\":7.5}").sdLimitCount()).isEmpty();
        assertThat(header("{\"sdLimitCount\":true}").sdLimitCount()).isEmpty();
        assertThat(header("[1]").sdLimitCount()).isEmpty();
        assertThat(new Header("not json", null).dailyCallLimit()).isEmpty();
    }

    @Test
    void twoHeadersAreEqualWhenTheirRawTextIs() throws Exception {
        Header a = header("{\"a\":1}");
        assertThat(a).isEqualTo(new Header("{\"a\":1}", null)).hasSameHashCodeAs(new Header("{\"a\":1}", null));
        assertThat(a).isNotEqualTo(header("{\"a\": 1}")).isNotEqualTo("{\"a\":1}");
        assertThat(a).hasToString("Header{\"a\":1}");
        assertThat(a.hashCode()).isNotEqualTo(header("{\"b\":2}").hashCode());
    }
}
