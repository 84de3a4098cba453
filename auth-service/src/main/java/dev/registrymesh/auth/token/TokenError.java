package dev.registrymesh.auth.token;

import dev.registrymesh.common.ErrorBody;
import dev.registrymesh.common.ErrorCode;
import java.time.Duration;

/** A refusal of the token endpoint, answered with the spec's error body. */
public class TokenError extends RuntimeException {
    private final int status;
    private final String code;
    private final Duration retryAfter;

    public TokenError(int status, String code, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public static TokenError badRequest(String message) {
        return new TokenError(400, "INVALID_REQUEST", message, null);
    }

    public static TokenError unauthorized(String message) {
        return new TokenError(401, ErrorCode.UNAUTHORIZED.name(), message, null);
    }

    public static TokenError tooManyRequests(Duration retryAfter) {
        return new TokenError(429, ErrorCode.TOOMANYREQUESTS.name(), "too many failed logins, retry later", retryAfter);
    }

    public static TokenError unavailable(String message) {
        return new TokenError(503, ErrorCode.UNAVAILABLE.name(), message, null);
    }

    public int status() {
        return status;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public String body() {
        return new ErrorBody(java.util.List.of(new ErrorBody.Entry(code, getMessage(), null))).toJson();
    }
}
