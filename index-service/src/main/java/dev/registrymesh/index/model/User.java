package dev.registrymesh.index.model;

import java.time.Instant;

/**
 * A person's account; owns the namespace of its name. Only the bcrypt hash of the password is kept.
 * {@code sessionEpoch} counts the user's "sign out everywhere": each one ends every refresh token issued before.
 */
public record User(String name, String passwordHash, boolean admin, String email, Instant createdAt, long sessionEpoch) {
    public User(String name, String passwordHash, boolean admin, String email, Instant createdAt) {
        this(name, passwordHash, admin, email, createdAt, 0);
    }

    public User withPasswordHash(String hash) {
        return new User(name, hash, admin, email, createdAt, sessionEpoch);
    }

    public User withAdmin(boolean isAdmin) {
        return new User(name, passwordHash, isAdmin, email, createdAt, sessionEpoch);
    }

    public User signedOutEverywhere() {
        return new User(name, passwordHash, admin, email, createdAt, sessionEpoch + 1);
    }
}
