package dev.registrymesh.index.account;

import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.index.access.Authenticator;
import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.access.Secrets;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.model.AccessToken;
import dev.registrymesh.index.model.Action;
import dev.registrymesh.index.store.IndexStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Personal access tokens: scoped, expiring, revocable. The token text is returned once; only its hash is kept. */
@ApplicationScoped
public class TokenService {
    private static final Set<Action> DEFAULT_ACTIONS = Set.of(Action.PULL, Action.PUSH, Action.DELETE);

    @Inject
    IndexStore store;

    Clock clock = Clock.systemUTC();

    public record Created(AccessToken token, String secret) {
    }

    /**
     * A new token. Made with a token, it stays within that token's bounds: what it omits (actions, repositories,
     * expiry) it inherits, and asking for more actions, other repositories or a later expiry is refused.
     */
    public Created create(Caller caller, String name, Set<Action> actions, List<String> repositories, Instant expiresAt) {
        Guards.requireAccountManager(caller);
        if (caller.robot()) {
            throw ApiException.denied("robots cannot have personal tokens");
        }
        AccessToken parent = caller.token();
        Set<Action> granted = actions != null && !actions.isEmpty() ? actions
                : parent == null ? DEFAULT_ACTIONS : parent.actions();
        List<String> reach = repositories != null && !repositories.isEmpty() ? repositories
                : parent == null ? List.of() : parent.repositories();
        if (parent != null && expiresAt == null) {
            expiresAt = parent.expiresAt();
        }
        for (String pattern : reach) {
            String name0 = pattern.endsWith("/*") ? pattern.substring(0, pattern.length() - 2) : pattern;
            if (!RepositoryName.isValid(name0)) {
                throw ApiException.invalid("invalid repository or pattern: " + pattern + " (use name or namespace/*)");
            }
        }
        if (parent != null) {
            if (!parent.actions().containsAll(granted)) {
                throw ApiException.denied("a token cannot create a token with more actions than its own");
            }
            for (String pattern : reach) {
                if (!parent.covers(pattern)) {
                    throw ApiException.denied("a token cannot create a token for repositories beyond its own: " + pattern);
                }
            }
            if (parent.expiresAt() != null && expiresAt.isAfter(parent.expiresAt())) {
                throw ApiException.denied("a token cannot create a token that outlives it (it expires at " + parent.expiresAt() + ")");
            }
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ApiException.invalid("expiresAt must be in the future");
        }
        String id = Authenticator.newTokenId();
        String secret = Authenticator.newTokenString(id);
        AccessToken token = new AccessToken(id, caller.subject(), name == null ? "" : name, granted, reach, now,
                expiresAt, null, Secrets.sha256(secret));
        if (!store.tokens().putIfAbsent(id, token)) {
            throw new IllegalStateException("token id collision");
        }
        return new Created(token, secret);
    }

    /** The caller's own tokens; an admin may ask for another user's. */
    public List<AccessToken> list(Caller caller, String owner) {
        Guards.requireSignedIn(caller);
        String who = owner == null ? caller.subject() : owner;
        if (!who.equals(caller.subject()) && !caller.admin()) {
            throw ApiException.denied("you may only list your own tokens");
        }
        return store.tokens().all().stream().filter(t -> t.owner().equals(who))
                .sorted(Comparator.comparing(AccessToken::createdAt)).toList();
    }

    public AccessToken get(Caller caller, String id) {
        Guards.requireSignedIn(caller);
        return store.tokens().get(id).filter(t -> t.owner().equals(caller.subject()) || caller.admin())
                .orElseThrow(() -> ApiException.notFound("no such token: " + id));
    }

    /** Revokes at once: every cache that knew the token drops it with this write. Revoking twice is harmless. */
    public AccessToken revoke(Caller caller, String id) {
        AccessToken token = get(caller, id);
        if (token.revokedAt() != null) {
            return token;
        }
        Instant now = clock.instant();
        return store.tokens().update(id, t -> t.revokedAt() == null ? t.revoked(now) : t).orElseThrow();
    }
}
