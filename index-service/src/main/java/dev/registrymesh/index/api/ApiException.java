package dev.registrymesh.index.api;

import dev.registrymesh.common.ErrorBody;
import dev.registrymesh.common.ErrorCode;
import java.util.List;

/**
 * A failure of the index API, answered with the spec's error body. Codes come from {@link ErrorCode} where one
 * fits; the account API adds NOT_FOUND, CONFLICT and INVALID_REQUEST.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Object detail;
    private final java.time.Duration retryAfter;

    public ApiException(int status, String code, String message, Object detail) {
        this(status, code, message, detail, null);
    }

    private ApiException(int status, String code, String message, Object detail, java.time.Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.detail = detail;
        this.retryAfter = retryAfter;
    }

    public static ApiException tooManyRequests(String message, java.time.Duration retryAfter) {
        return new ApiException(429, ErrorCode.TOOMANYREQUESTS.name(), message, null, retryAfter);
    }

    public static ApiException unavailable(String message) {
        return of(ErrorCode.UNAVAILABLE, message);
    }

    /** For 429: how long to wait, or null. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    public static ApiException of(ErrorCode code, String message) {
        return new ApiException(code.status(), code.name(), message, null);
    }

    public static ApiException unauthorized(String message) {
        return of(ErrorCode.UNAUTHORIZED, message);
    }

    public static ApiException denied(String message) {
        return of(ErrorCode.DENIED, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "NOT_FOUND", message, null);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "CONFLICT", message, null);
    }

    public static ApiException invalid(String message) {
        return new ApiException(400, "INVALID_REQUEST", message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public ErrorBody body() {
        return new ErrorBody(List.of(new ErrorBody.Entry(code, getMessage(), detail)));
    }
}
