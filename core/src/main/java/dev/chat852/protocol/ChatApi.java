package dev.chat852.protocol;

import dev.chat852.Models;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The API's fixed facts: where it is, what a request asks for by default, and the headers a request
 * carries.
 *
 * <pre>{@code
 * URI endpoint = URI.create(ChatApi.DEFAULT_BASE_URL + ChatApi.PATH);
 * }</pre>
 */
public final class ChatApi {
    /** The public service's base URL. */
    public static final String DEFAULT_BASE_URL = "https://chat.xutongbao.top";
    /** The one endpoint: {@code POST} to this path, appended to the base URL. */
    public static final String PATH = "/api/light/chat/createChatCompletion";
    /** The model a request that names none is sent with: the API's own default. */
    public static final String DEFAULT_MODEL = Models.GPT_3_5_TURBO_1106;
    /** The envelope's {@code code} for success; any other code is an error. */
    public static final int SUCCESS_CODE = 200;
    /** The envelope's {@code message} the service sends with {@link #SUCCESS_CODE}. */
    public static final String SUCCESS_MESSAGE = "成功";
    /** The media type of request bodies and of whole (non-streamed) answers. */
    public static final String JSON_MEDIA_TYPE = "application/json";
    /** The {@code Content-Type} of JSON the mock server and the recorder send. */
    public static final String JSON_CONTENT_TYPE = JSON_MEDIA_TYPE + "; charset=utf-8";
    /** What a streaming request accepts. The stream is not SSE, whatever this says; see {@code wire}. */
    public static final String STREAM_MEDIA_TYPE = "text/event-stream";

    private ChatApi() {
    }

    /** The headers of a request, in order: {@code Content-Type} and {@code Accept}. */
    public static Map<String, String> requestHeaders(boolean stream) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", JSON_MEDIA_TYPE);
        headers.put("Accept", stream ? STREAM_MEDIA_TYPE : JSON_MEDIA_TYPE);
        return headers;
    }

    /** Whether a {@code Content-Type} value names JSON, the envelope's media type (parameters ignored). */
    public static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(JSON_MEDIA_TYPE);
    }
}
