package dev.registrymesh.common.auth;

/** A scope string that does not follow {@code type:name:actions}, or names an invalid repository. */
public class ScopeSyntaxException extends IllegalArgumentException {
    public ScopeSyntaxException(String message) {
        super(message);
    }
}
