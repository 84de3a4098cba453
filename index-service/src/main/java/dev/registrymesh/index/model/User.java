package dev.registrymesh.index.model;

import java.time.Instant;

/** A person's account; owns the namespace of its name. Only the bcrypt hash of the password is kept. */
public record User(String name, String passwordHash, boolean admin, String email, Instant createdAt) {
    public User withPasswordHash(String hash) {
        return new User(name, hash, admin, email, createdAt);
    }

    public User withAdmin(boolean isAdmin) {
        return new User(name, passwordHash, isAdmin, email, createdAt);
    }
}
