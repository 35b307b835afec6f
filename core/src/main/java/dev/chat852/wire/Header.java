package dev.chat852.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A header block from the stream: the text between {@code start852} and {@code end852}. The server
 * sends account and quota information there as JSON; {@link #json()} is {@code null} when the block
 * is not valid JSON, which is not an error.
 *
 * <p>The typed getters read the fields the API documents; each is empty when the field is absent or
 * of an unexpected type. Anything else is in {@link #json()}.
 */
public final class Header {
    /** Only for reading blocks; strict about trailing garbage, so {@code {}x} is not JSON. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String raw;
    private final JsonNode json;

    /** @param raw the block's text; @param json its parsed form, or {@code null} if not valid JSON */
    public Header(String raw, JsonNode json) {
        this.raw = Objects.requireNonNull(raw, "raw");
        this.json = json;
    }

    /** A block's text, with its JSON parsed if it is valid JSON. */
    public static Header parse(String raw) {
        JsonNode json;
        try {
            json = MAPPER.readTree(raw);
        } catch (JsonProcessingException e) {
            json = null;
        }
        return new Header(raw, json == null || json.isMissingNode() ? null : json);
    }

    /** The block exactly as received, decoded as UTF-8. */
    public String raw() {
        return raw;
    }

    /** The block parsed as JSON, or {@code null} if it is not valid JSON. */
    public JsonNode json() {
        return json;
    }

    /** {@code isSdHide}: whether image generation is hidden for the account. */
    public Optional<Boolean> sdHide() {
        return bool("isSdHide");
    }

    /** {@code sdLimitCount}: the image generation limit. */
    public OptionalLong sdLimitCount() {
        return number("sdLimitCount");
    }

    /** {@code numOfOneDayCanCallApi}: API calls allowed per day. */
    public OptionalLong dailyCallLimit() {
        return number("numOfOneDayCanCallApi");
    }

    /** {@code numOfOneDayAlreadyCallApi}: API calls already made today. */
    public OptionalLong dailyCallsUsed() {
        return number("numOfOneDayAlreadyCallApi");
    }

    /** {@code apiDate}: the day the daily counters refer to, as sent. */
    public Optional<String> apiDate() {
        JsonNode node = field("apiDate");
        return node != null && node.isValueNode() && !node.isNull() ? Optional.of(node.asText()) : Optional.empty();
    }

    /** {@code isHasGPT4Auth}: whether the account may use GPT-4 models. */
    public Optional<Boolean> gpt4Authorized() {
        return bool("isHasGPT4Auth");
    }

    private JsonNode field(String name) {
        return json != null && json.isObject() ? json.get(name) : null;
    }

    /** Accepts true/false, 0/1 and "true"/"false": the API is loose about booleans. */
    private Optional<Boolean> bool(String name) {
        JsonNode node = field(name);
        if (node == null) {
            return Optional.empty();
        }
        if (node.isBoolean()) {
            return Optional.of(node.booleanValue());
        }
        if (node.isNumber()) {
            return Optional.of(node.doubleValue() != 0);
        }
        if (node.isTextual() && (node.textValue().equals("true") || node.textValue().equals("false"))) {
            return Optional.of(Boolean.parseBoolean(node.textValue()));
        }
        return Optional.empty();
    }

    /** Accepts integral numbers and numeric strings. */
    private OptionalLong number(String name) {
        JsonNode node = field(name);
        if (node != null && node.canConvertToExactIntegral() && node.canConvertToLong()) {
            return OptionalLong.of(node.longValue());
        }
        if (node != null && node.isTextual()) {
            try {
                return OptionalLong.of(Long.parseLong(node.textValue().trim()));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header && ((Header) o).raw.equals(raw);
    }

    @Override
    public int hashCode() {
        return raw.hashCode();
    }

    @Override
    public String toString() {
        return "Header" + raw;
    }
}
