package dev.registrymesh.index.model;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A personal access token. The secret is shown once at creation; only its SHA-256 hash is kept.
 *
 * @param actions      what the token may ever do (never more than its owner may)
 * @param repositories repository names or {@code namespace/*} patterns it is limited to; empty = any
 * @param expiresAt    null = never
 * @param revokedAt    null = live
 */
public record AccessToken(String id, String owner, String name, Set<Action> actions, List<String> repositories,
                          Instant createdAt, Instant expiresAt, Instant revokedAt, String secretHash) {
    public AccessToken {
        actions = Set.copyOf(actions);
        repositories = repositories == null ? List.of() : List.copyOf(repositories);
    }

    public boolean live(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /** True when the token's repository list lets it reach {@code repository}. */
    public boolean reaches(String repository) {
        if (repositories.isEmpty()) {
            return true;
        }
        for (String pattern : repositories) {
            if (pattern.equals(repository)
                    || (pattern.endsWith("/*") && repository.startsWith(pattern.substring(0, pattern.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when every repository {@code pattern} (a name or {@code namespace/*}) reaches lies within this token's
     * reach: a token only ever makes tokens within its own bounds.
     */
    public boolean covers(String pattern) {
        if (repositories.isEmpty()) {
            return true;
        }
        for (String own : repositories) {
            if (own.equals(pattern) || (own.endsWith("/*") && pattern.startsWith(own.substring(0, own.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    public AccessToken revoked(Instant when) {
        return new AccessToken(id, owner, name, actions, repositories, createdAt, expiresAt, when, secretHash);
    }
}
