package dev.registrymesh.common;

/** A failure that a registry answers with one of the spec's error codes and its JSON body. */
public class OciException extends RuntimeException {
    private final ErrorCode code;
    private final Object detail;
    private final int status;

    public OciException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public OciException(ErrorCode code, String message, Object detail) {
        this(code, code.status(), message, detail);
    }

    /** For the few places where the spec answers a code with another status than its usual one. */
    public OciException(ErrorCode code, int status, String message, Object detail) {
        super(message == null ? code.defaultMessage() : message, null, false, false);
        this.code = code;
        this.status = status;
        this.detail = detail;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return status;
    }

    public Object detail() {
        return detail;
    }

    public ErrorBody body() {
        return ErrorBody.of(code, getMessage(), detail);
    }
}
