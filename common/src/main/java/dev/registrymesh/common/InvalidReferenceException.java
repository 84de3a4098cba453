package dev.registrymesh.common;

/** An image reference that does not parse; {@link #code()} says which part is wrong. */
public class InvalidReferenceException extends OciException {
    public InvalidReferenceException(ErrorCode code, String message) {
        super(code, message);
    }
}
