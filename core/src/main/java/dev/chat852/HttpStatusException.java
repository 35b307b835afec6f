package dev.chat852;

/** The server answered with an HTTP error status and a body that is not the API's error wrapper. */
public final class HttpStatusException extends Chat852Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String bodyExcerpt;

    /**
     * @param status the HTTP status
     * @param bodyExcerpt the start of the body, decoded as UTF-8
     */
    public HttpStatusException(int status, String bodyExcerpt) {
        super("the server answered HTTP " + status + (bodyExcerpt.isEmpty() ? "" : ": " + bodyExcerpt));
        this.status = status;
        this.bodyExcerpt = bodyExcerpt;
    }

    public int status() {
        return status;
    }

    /** The start of the response body (at most a few KiB), decoded as UTF-8. */
    public String bodyExcerpt() {
        return bodyExcerpt;
    }
}
