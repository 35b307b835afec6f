package dev.chat852.internal;

import dev.chat852.ApiException;
import dev.chat852.Chat852Exception;
import dev.chat852.ChatTimeoutException;
import dev.chat852.HttpStatusException;
import dev.chat852.ProtocolException;
import dev.chat852.TransportException;

/**
 * Failures reach a blocking caller from another thread (the transport's, the timer's), so their own
 * stack traces show nothing of the caller's code. Before a blocking call throws one, it is copied here:
 * the same type and fields, the caller's stack trace, and the original as its cause.
 */
public final class CallerFrames {
    private CallerFrames() {
    }

    /** {@code error} as the calling thread should throw it. */
    public static RuntimeException of(Throwable error) {
        if (!(error instanceof Chat852Exception)) {
            return error instanceof RuntimeException ? (RuntimeException) error : new Chat852Exception("the call failed", error);
        }
        Chat852Exception e = (Chat852Exception) error;
        Chat852Exception copy;
        if (e instanceof ApiException) {
            ApiException a = (ApiException) e;
            copy = new ApiException(a.code(), a.serverMessage(), a.httpStatus(), a.type().orElse(null),
                    a.errorCode().orElse(null));
        } else if (e instanceof HttpStatusException) {
            HttpStatusException h = (HttpStatusException) e;
            copy = new HttpStatusException(h.status(), h.bodyExcerpt());
        } else if (e instanceof ChatTimeoutException) {
            ChatTimeoutException t = (ChatTimeoutException) e;
            copy = new ChatTimeoutException(t.kind(), t.timeout());
        } else if (e instanceof TransportException) {
            return new TransportException(e.getMessage(), e);
        } else if (e instanceof ProtocolException) {
            copy = new ProtocolException(e.getMessage());
        } else {
            return new Chat852Exception(e.getMessage(), e);
        }
        copy.initCause(e);
        return copy;
    }
}
