package dev.chat852;

/**
 * The server answered with an HTTP error status and a body that is not the API's error wrapper. A
 * status a proxy sends for itself says so in the message: 407, the proxy asks for authentication.
 */
public final class HttpStatusException extends Chat852Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String bodyExcerpt;

    /**
     * @param status the HTTP status
     * @param bodyExcerpt the start of the body, decoded as UTF-8
     */
    public HttpStatusException(int status, String bodyExcerpt) {
        super(describe(status) + (bodyExcerpt.isEmpty() ? "" : ": " + bodyExcerpt));
        this.status = status;
        this.bodyExcerpt = bodyExcerpt;
    }

    private static String describe(int status) {
        if (status == 407) {
            return "the proxy requires authentication (HTTP 407 Proxy Authentication Required): proxy credentials"
                    + " were not given, or the proxy refused them";
        }
        return "the server answered HTTP " + status;
    }

    public int status() {
        return status;
    }

    /** The start of the response body (at most a few KiB), decoded as UTF-8. */
    public String bodyExcerpt() {
        return bodyExcerpt;
    }
}
