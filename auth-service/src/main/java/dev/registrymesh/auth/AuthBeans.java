package dev.registrymesh.auth;

import dev.registrymesh.auth.index.CachingIndexClient;
import dev.registrymesh.auth.index.HttpIndexClient;
import dev.registrymesh.auth.index.IndexClient;
import dev.registrymesh.auth.keys.KeyDirectory;
import dev.registrymesh.auth.keys.KeyRing;
import dev.registrymesh.auth.keys.LiveKeys;
import dev.registrymesh.auth.keys.SigningKey;
import dev.registrymesh.auth.token.TokenIssuer;
import dev.registrymesh.auth.token.TokenService;
import dev.registrymesh.common.auth.JwksCache;
import dev.registrymesh.common.auth.LoginThrottle;
import dev.registrymesh.common.auth.TokenVerifier;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Wires the plain classes from configuration; the only place that knows about CDI. */
@Singleton
public class AuthBeans {
    private static final Logger LOG = Logger.getLogger(AuthBeans.class);

    @Produces
    @Singleton
    LiveKeys liveKeys(AuthServiceConfig config) {
        AuthServiceConfig.Auth auth = config.auth();
        KeyDirectory dir = new KeyDirectory(Path.of(auth.keysDir().orElse(Path.of(config.dataDir(), "keys").toString())));
        try {
            dir.loadOrCreate(auth.keyAlgorithm(), auth.rotateKey());
            LiveKeys live = new LiveKeys(dir, auth.keyActivation(), Clock.systemUTC());
            KeyRing ring = live.ring();
            for (SigningKey k : ring.keys()) {
                LOG.infof("token key %s (%s)%s", k.kid(), k.algorithm(), k == ring.signing() ? " signs" : " published");
            }
            LOG.infof("signing keys in %s, read again every %s", dir.dir().toAbsolutePath(), auth.keysRescan());
            return live;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load or create the signing keys in " + dir.dir(), e);
        }
    }

    /** Reads the key directory again every {@code keys-rescan}, on a worker thread. */
    void scheduleKeyRescan(@Observes StartupEvent start, Vertx vertx, LiveKeys keys, AuthServiceConfig config) {
        vertx.setPeriodic(config.auth().keysRescan().toMillis(), id -> vertx.executeBlocking(() -> {
            String before = keys.ring().signing().kid();
            keys.refresh();
            if (!before.equals(keys.ring().signing().kid())) {
                LOG.infof("token key %s signs from now on", keys.ring().signing().kid());
            }
            return null;
        }, false).onFailure(e -> LOG.warnf("cannot read the signing keys again: %s", e.getMessage())));
    }

    @Produces
    @Singleton
    TokenService tokenService(AuthServiceConfig config, LiveKeys keys) {
        AuthServiceConfig.Auth auth = config.auth();
        Clock clock = Clock.systemUTC();
        IndexClient index = new CachingIndexClient(new HttpIndexClient(config.indexUrl(), config.internalToken()),
                auth.decisionCacheTtl(), System::nanoTime);
        AuthServiceConfig.Throttle t = auth.throttle();
        LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Settings(t.accountFreeFailures(), t.addressFreeFailures(),
                t.baseDelay(), t.accountMaxDelay(), t.addressMaxDelay(), t.forgetAfter()), clock);
        // Refresh tokens are checked with the same verifier registries use, fed from our own key ring.
        JwksCache ownKeys = new JwksCache(() -> keys.ring().jwks(), Duration.ZERO, Duration.ofDays(36500), clock);
        TokenVerifier refreshVerifier = new TokenVerifier(ownKeys, auth.issuer(), 30, clock);
        return new TokenService(index, new TokenIssuer(keys::ring, auth.issuer()), refreshVerifier, throttle,
                auth.tokenTtl(), auth.refreshTtl(), clock);
    }
}
