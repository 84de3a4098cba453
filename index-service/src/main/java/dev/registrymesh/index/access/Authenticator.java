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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

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

    /**
     * bcrypt is slow on purpose; bounding how many checks run at once keeps callers with made-up passwords
     * from taking every core (the throttles slow each of them down; this bounds them together).
     */
    private final Semaphore passwordChecks = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), true);

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
        boolean ok = passwordMatches(secret, user.map(User::passwordHash).orElse(null));
        if (user.isPresent() && ok) {
            return new Caller(username, "password", user.get().admin(), Caller.Kind.USER, null);
        }
        throw ApiException.unauthorized("invalid username or password");
    }

    private boolean passwordMatches(String secret, String hash) {
        try {
            if (!passwordChecks.tryAcquire(2, TimeUnit.SECONDS)) {
                throw ApiException.tooManyRequests("too many sign-ins at once, retry shortly", java.time.Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted");
        }
        try {
            return Secrets.passwordMatches(secret, hash);
        } finally {
            passwordChecks.release();
        }
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
     * The stamp of the account and credential a caller signed in with: it changes when the password changes, a
     * robot's secret is rotated, the account or robot is deleted (a new one of the same name has another), or the
     * user signs out everywhere. auth-service puts it into refresh tokens and presents it with each refresh.
     */
    public String binding(Caller caller) {
        if (caller.anonymous()) {
            return null;
        }
        if (caller.robot()) {
            Robot robot = store.robots().get(caller.subject()).orElseThrow(() -> ApiException.unauthorized("robot account no longer exists"));
            return Secrets.sha256("robot\0" + robot.fullName() + '\0' + robot.createdAt() + '\0' + robot.secretHash()).substring(0, 32);
        }
        User user = store.users().get(caller.subject()).orElseThrow(() -> ApiException.unauthorized("account no longer exists"));
        // A token's refresh tokens outlive a password change (the token is its own credential); a password's do not.
        String credential = caller.token() != null ? "pat:" + caller.token().id() : "password\0" + user.passwordHash();
        return Secrets.sha256("user\0" + user.name() + '\0' + user.createdAt() + '\0' + user.sessionEpoch() + '\0' + credential)
                .substring(0, 32);
    }

    /**
     * As {@link #resume(String, String)}, and when {@code binding} is given (a refresh token's), the account and
     * credential must still be the ones it was issued for.
     */
    public Caller resume(String subject, String credential, String binding) {
        Caller caller = resume(subject, credential);
        if (binding != null && !Secrets.constantTimeEquals(binding, binding(caller))) {
            throw ApiException.unauthorized("the sign-in this refresh token came from has ended");
        }
        return caller;
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
