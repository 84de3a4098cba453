package dev.registrymesh.auth.index;

/** index-service refused (401: bad or revoked credential) or could not be asked (unavailable). */
public class IndexException extends RuntimeException {
    public enum Kind { UNAUTHORIZED, UNAVAILABLE }

    private final Kind kind;

    public IndexException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
