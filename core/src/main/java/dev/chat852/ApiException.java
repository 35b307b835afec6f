package dev.chat852;

/**
 * The API answered with its error wrapper, {@code {"code": <not 200>, "message": "…"}}: a wrong token,
 * an exhausted quota, an unknown model. The server usually sends it with HTTP 200.
 */
public final class ApiException extends Chat852Exception {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String serverMessage;
    private final int httpStatus;

    /**
     * @param code the wrapper's {@code code}
     * @param serverMessage the wrapper's {@code message}, as the server wrote it
     * @param httpStatus the HTTP status it came with
     */
    public ApiException(int code, String serverMessage, int httpStatus) {
        super("the API answered with code " + code + ": " + serverMessage + " (HTTP " + httpStatus + ")");
        this.code = code;
        this.serverMessage = serverMessage;
        this.httpStatus = httpStatus;
    }

    /** The wrapper's {@code code}: never 200. */
    public int code() {
        return code;
    }

    /** The wrapper's {@code message}, exactly as sent. */
    public String serverMessage() {
        return serverMessage;
    }

    /** The HTTP status of the response (usually 200). */
    public int httpStatus() {
        return httpStatus;
    }
}
