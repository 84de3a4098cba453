package dev.registrymesh.index.access;

import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.model.AccessToken;
import dev.registrymesh.index.model.Robot;
import dev.registrymesh.index.model.User;
import dev.registrymesh.index.store.IndexStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Checks credentials: a user's password, a personal access token (given with its owner's name, or alone as a
 * bearer token), or a robot secret (user name {@code ns+robot}). Also re-validates a credential that auth-service
 * reports along with an authorization request, so that revoked or expired ones stop working at once.
 */
@ApplicationScoped
public class Authenticator {
    public static final String TOKEN_PREFIX = "mesh_pat_";
    private static final int TOKEN_ID_LENGTH = 16;

    @Inject
    IndexStore store;
    @Inject
    AccessCache cache;

    Clock clock = Clock.systemUTC();

    /** The caller that {@code username}/{@code secret} authenticate as, or 401. */
    public Caller authenticate(String username, String secret) {
        if (username == null || username.isEmpty() || secret == null || secret.isEmpty()) {
            throw ApiException.unauthorized("missing credentials");
        }
        String cacheKey = Secrets.sha256(username + '\0' + secret);
        Caller cached = cache.logins().getIfPresent(cacheKey);
        if (cached != null && stillLive(cached)) {
            return cached;
        }
        Caller caller = check(username, secret);
        cache.logins().put(cacheKey, caller);
        return caller;
    }

    /** The caller a bare personal access token (Authorization: Bearer) authenticates as, or 401. */
    public Caller bearer(String token) {
        AccessToken t = tokenFor(token).orElseThrow(() -> ApiException.unauthorized("invalid token"));
        return authenticate(t.owner(), token);
    }

    private Caller check(String username, String secret) {
        if (username.indexOf(Robot.SEPARATOR) > 0) {
            Optional<Robot> robot = store.robots().get(username);
            if (robot.isPresent() && Secrets.sha256Matches(secret, robot.get().secretHash())) {
                return new Caller(username, "robot:" + username, false, Caller.Kind.ROBOT, null);
            }
            throw ApiException.unauthorized("invalid robot credentials");
        }
        if (secret.startsWith(TOKEN_PREFIX)) {
            Optional<AccessToken> token = tokenFor(secret);
            if (token.isPresent() && token.get().owner().equals(username) && token.get().live(clock.instant())) {
                User user = store.users().get(username).orElseThrow(() -> ApiException.unauthorized("invalid credentials"));
                return new Caller(username, "pat:" + token.get().id(), user.admin(), Caller.Kind.USER, token.get());
            }
            throw ApiException.unauthorized("invalid, expired or revoked token");
        }
        Optional<User> user = store.users().get(username);
        // Always run bcrypt, so an unknown name takes as long as a wrong password.
        boolean ok = Secrets.passwordMatches(secret, user.map(User::passwordHash).orElse(null));
        if (user.isPresent() && ok) {
            return new Caller(username, "password", user.get().admin(), Caller.Kind.USER, null);
        }
        throw ApiException.unauthorized("invalid username or password");
    }

    /** The stored token a presented token string names, when its secret matches. */
    private Optional<AccessToken> tokenFor(String presented) {
        if (presented == null || !presented.startsWith(TOKEN_PREFIX)
                || presented.length() < TOKEN_PREFIX.length() + TOKEN_ID_LENGTH + 2) {
            return Optional.empty();
        }
        String id = presented.substring(TOKEN_PREFIX.length(), TOKEN_PREFIX.length() + TOKEN_ID_LENGTH);
        return store.tokens().get(id).filter(t -> Secrets.sha256Matches(presented, t.secretHash()));
    }

    /** A new token string for token id {@code id}: {@code mesh_pat_<id>_<secret>}. */
    public static String newTokenString(String id) {
        return TOKEN_PREFIX + id + "_" + Secrets.random(32);
    }

    public static String newTokenId() {
        return Secrets.randomHex(TOKEN_ID_LENGTH / 2);
    }

    private boolean stillLive(Caller c) {
        return c.token() == null || c.token().live(clock.instant());
    }

    /**
     * Re-validates what auth-service says a caller authenticated with: the user, robot or token must still
     * exist, and a token must be live. 401 otherwise. A null subject is the anonymous caller.
     */
    public Caller resume(String subject, String credential) {
        if (subject == null) {
            return Caller.ANONYMOUS;
        }
        String key = subject + '\0' + credential;
        Caller cached = cache.callers().getIfPresent(key);
        if (cached == null) {
            cached = load(subject, credential);
            cache.callers().put(key, cached);
        }
        if (!stillLive(cached)) {
            throw ApiException.unauthorized("token expired");
        }
        return cached;
    }

    private Caller load(String subject, String credential) {
        if (credential != null && credential.startsWith("robot:")) {
            if (!credential.equals("robot:" + subject) || store.robots().get(subject).isEmpty()) {
                throw ApiException.unauthorized("robot account no longer exists");
            }
            return new Caller(subject, credential, false, Caller.Kind.ROBOT, null);
        }
        if (credential == null && subject.indexOf(Robot.SEPARATOR) > 0) {
            if (store.robots().get(subject).isEmpty()) {
                throw ApiException.unauthorized("robot account no longer exists");
            }
            return new Caller(subject, "robot:" + subject, false, Caller.Kind.ROBOT, null);
        }
        User user = store.users().get(subject).orElseThrow(() -> ApiException.unauthorized("account no longer exists"));
        if (credential == null || credential.equals("password")) {
            return new Caller(subject, "password", user.admin(), Caller.Kind.USER, null);
        }
        if (credential.startsWith("pat:")) {
            AccessToken token = store.tokens().get(credential.substring(4))
                    .filter(t -> t.owner().equals(subject))
                    .orElseThrow(() -> ApiException.unauthorized("token no longer exists"));
            if (!token.live(Instant.now(clock))) {
                throw ApiException.unauthorized("token revoked or expired");
            }
            return new Caller(subject, credential, user.admin(), Caller.Kind.USER, token);
        }
        throw ApiException.unauthorized("unknown credential kind: " + credential);
    }
}
