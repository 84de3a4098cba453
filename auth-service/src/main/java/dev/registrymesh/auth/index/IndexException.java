package dev.registrymesh.auth.index;

import java.time.Duration;

/**
 * index-service refused (401: bad or revoked credential), asked the caller to wait (429: too many sign-ins at once,
 * with how long), or could not be asked (unavailable).
 */
public class IndexException extends RuntimeException {
    public enum Kind { UNAUTHORIZED, TOO_MANY_REQUESTS, UNAVAILABLE }

    private final Kind kind;
    private final Duration retryAfter;

    public IndexException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, null);
    }

    public IndexException(Kind kind, String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** For TOO_MANY_REQUESTS: how long index-service asked to wait (never null then). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
