package dev.chat852;

import java.util.Optional;

/**
 * The API answered with its error: for the 852 dialect, its wrapper {@code {"code": <not 200>,
 * "message": "…"}} (a wrong token, an exhausted quota, an unknown model), usually on HTTP 200; for the
 * OpenAI dialect, {@code {"error": {"message", "type", "code"}}}, with an error status or as an event
 * inside the stream.
 */
public final class ApiException extends Chat852Exception {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String serverMessage;
    private final int httpStatus;
    private final String type;
    private final String errorCode;

    /**
     * An error in the 852 wrapper.
     *
     * @param code the wrapper's {@code code}
     * @param serverMessage the wrapper's {@code message}, as the server wrote it
     * @param httpStatus the HTTP status it came with
     */
    public ApiException(int code, String serverMessage, int httpStatus) {
        this(code, serverMessage, httpStatus, null, null);
    }

    /**
     * An error in either form.
     *
     * @param code the 852 wrapper's {@code code}; for an OpenAI error, the HTTP status of an error
     *     response, 0 for an error event inside a stream
     * @param serverMessage the error's message, as the server wrote it
     * @param httpStatus the HTTP status it came with
     * @param type an OpenAI error's {@code type} ({@code invalid_request_error} …), or {@code null}
     * @param errorCode an OpenAI error's {@code code} ({@code invalid_api_key} …) as text, or {@code null}
     */
    public ApiException(int code, String serverMessage, int httpStatus, String type, String errorCode) {
        super("the API answered with " + describe(code, type, errorCode) + ": " + serverMessage + " (HTTP " + httpStatus + ")");
        this.code = code;
        this.serverMessage = serverMessage;
        this.httpStatus = httpStatus;
        this.type = type;
        this.errorCode = errorCode;
    }

    private static String describe(int code, String type, String errorCode) {
        if (type == null && errorCode == null) {
            return "code " + code;
        }
        return "error " + (errorCode != null ? errorCode : type) + (errorCode != null && type != null ? " (" + type + ")" : "");
    }

    /**
     * The 852 wrapper's {@code code}: never 200. For an OpenAI error, which has no numeric code: the HTTP
     * status of an error response, 0 for an error event inside a stream.
     */
    public int code() {
        return code;
    }

    /** The error's message, exactly as sent. */
    public String serverMessage() {
        return serverMessage;
    }

    /** The HTTP status of the response (usually 200 for the 852 wrapper and for an error inside a stream). */
    public int httpStatus() {
        return httpStatus;
    }

    /** An OpenAI error's {@code type}, such as {@code invalid_request_error}; empty for the 852 wrapper. */
    public Optional<String> type() {
        return Optional.ofNullable(type);
    }

    /** An OpenAI error's {@code code}, such as {@code invalid_api_key}, as text; empty if none was sent. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }
}
