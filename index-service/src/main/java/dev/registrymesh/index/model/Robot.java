package dev.registrymesh.index.model;

import java.time.Instant;

/**
 * A robot account of a namespace, logging in as {@code <namespace>+<name>} with a generated secret of which
 * only the SHA-256 hash is kept. It holds {@code role} on its namespace's repositories, plus whatever the
 * org teams it belongs to give.
 */
public record Robot(String namespace, String name, Role role, String secretHash, Instant createdAt) {
    public static final char SEPARATOR = '+';

    public static String fullName(String namespace, String name) {
        return namespace + SEPARATOR + name;
    }

    public String fullName() {
        return fullName(namespace, name);
    }

    public Robot withSecretHash(String hash) {
        return new Robot(namespace, name, role, hash, createdAt);
    }
}
