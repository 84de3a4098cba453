package dev.registrymesh.index.console;

import dev.registrymesh.index.access.Authenticator;
import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.access.Secrets;
import dev.registrymesh.index.access.SignInThrottle;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.config.MeshConfig;
import dev.registrymesh.index.model.ConsoleSession;
import dev.registrymesh.index.store.IndexStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Console sign-in, sessions and their CSRF tokens. A session lives in the index store (so every index node sees
 * it) under the SHA-256 of a random id; the browser holds only the id. Each request re-checks the credential the
 * session came from ({@link Authenticator#resume(String, String, String)}), so revoking a token, changing the
 * password or deleting the account ends its console sessions at once.
 */
@ApplicationScoped
public class ConsoleSessions {
    @Inject
    IndexStore store;
    @Inject
    Authenticator authenticator;
    @Inject
    SignInThrottle throttle;
    @Inject
    MeshConfig config;

    Clock clock = Clock.systemUTC();

    /** A session as the request sees it: who, and the token its forms must carry. */
    public record Active(Caller caller, String csrf) {
    }

    /** What sign-in made: the cookie value (shown to the browser only) and the session's form token. */
    public record Started(String cookie, Active active) {
    }

    /**
     * Checks a user name and a password or personal access token through the same throttle as the API; a token
     * alone (no user name) works too. Robots are machine accounts: they sign in to registries, not here.
     */
    public Started signIn(String username, String secret, String address) {
        String user = username == null ? "" : username.trim();
        if (secret == null || secret.isEmpty()) {
            throw ApiException.unauthorized("enter your password or a personal access token");
        }
        Caller caller = user.isEmpty()
                ? throttle.attempt(null, address, () -> authenticator.bearer(secret))
                : throttle.attempt(user, address, () -> authenticator.authenticate(user, secret));
        if (caller.robot()) {
            throw ApiException.denied("robot accounts cannot sign in to the console");
        }
        Instant now = clock.instant();
        sweep(now);
        String id = Secrets.random(32);
        ConsoleSession session = new ConsoleSession(caller.subject(), caller.credential(), authenticator.binding(caller),
                Secrets.random(24), now, now.plus(config.console().sessionTtl()));
        store.sessions().put(Secrets.sha256(id), session);
        return new Started(id, new Active(caller, session.csrf()));
    }

    /** The live session of a cookie, if any; an expired or ended one is deleted. */
    public Optional<Active> find(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 200) {
            return Optional.empty();
        }
        String key = Secrets.sha256(cookie);
        Optional<ConsoleSession> session = store.sessions().get(key);
        if (session.isEmpty()) {
            return Optional.empty();
        }
        ConsoleSession s = session.get();
        if (!s.live(clock.instant())) {
            store.sessions().delete(key);
            return Optional.empty();
        }
        try {
            return Optional.of(new Active(authenticator.resume(s.subject(), s.credential(), s.binding()), s.csrf()));
        } catch (ApiException ended) {
            store.sessions().delete(key);
            return Optional.empty();
        }
    }

    public void signOut(String cookie) {
        if (cookie != null && !cookie.isEmpty()) {
            store.sessions().delete(Secrets.sha256(cookie));
        }
    }

    /** Drops expired sessions; run at each sign-in, so the table holds at most the sessions of one TTL. */
    private void sweep(Instant now) {
        store.sessions().entries().forEach((key, s) -> {
            if (!s.live(now)) {
                store.sessions().delete(key);
            }
        });
    }
}
