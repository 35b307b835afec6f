package dev.chat852;

import java.time.Duration;
import java.util.Objects;

/** Validation shared by the client's and the request's timeout setters. */
final class Timeouts {
    private Timeouts() {
    }

    static Duration check(String name, Duration timeout) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + timeout);
        }
        return timeout;
    }
}
