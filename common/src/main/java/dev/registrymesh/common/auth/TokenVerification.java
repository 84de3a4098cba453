package dev.registrymesh.common.auth;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The outcome of verifying a token: either valid (subject, access, and the other claims) or a typed failure.
 * {@code subject} is null for an anonymous token (empty {@code sub}).
 */
public record TokenVerification(TokenFailure failure, String message, String subject, List<Access> access,
                                Instant expiresAt, Map<String, Object> claims) {

    public static TokenVerification valid(String subject, List<Access> access, Instant expiresAt, Map<String, Object> claims) {
        return new TokenVerification(null, null, subject, List.copyOf(access), expiresAt, Map.copyOf(claims));
    }

    public static TokenVerification invalid(TokenFailure failure, String message) {
        return new TokenVerification(failure, message, null, List.of(), null, Map.of());
    }

    public boolean isValid() {
        return failure == null;
    }

    /** True when this token grants {@code action} on {@code type:name}. */
    public boolean allows(String type, String name, String action) {
        return isValid() && Access.granted(access, type, name, action);
    }
}
