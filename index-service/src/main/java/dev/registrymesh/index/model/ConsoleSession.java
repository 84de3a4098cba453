package dev.registrymesh.index.model;

import java.time.Instant;

/**
 * A signed-in web console visitor. Stored under the SHA-256 of the random id in the cookie, so that the store
 * (a Redis dump, a snapshot file) holds nothing a browser could present.
 *
 * @param subject    the user, as the sign-in authenticated
 * @param credential {@code password} or {@code pat:<id>}: what the session may do is what that credential may
 * @param binding    {@code Authenticator.binding} at sign-in: a password change, "sign out everywhere", a revoked
 *                   token or a recreated account ends the session
 * @param csrf       the token every form of this session must carry
 */
public record ConsoleSession(String subject, String credential, String binding, String csrf, Instant createdAt,
                             Instant expiresAt) {
    public boolean live(Instant now) {
        return now.isBefore(expiresAt);
    }
}
