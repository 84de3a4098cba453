package dev.registrymesh.auth;

import dev.registrymesh.auth.index.CachingIndexClient;
import dev.registrymesh.auth.index.HttpIndexClient;
import dev.registrymesh.auth.index.IndexClient;
import dev.registrymesh.auth.keys.KeyDirectory;
import dev.registrymesh.auth.keys.KeyRing;
import dev.registrymesh.auth.keys.SigningKey;
import dev.registrymesh.auth.token.TokenIssuer;
import dev.registrymesh.auth.token.TokenService;
import dev.registrymesh.common.auth.JwksCache;
import dev.registrymesh.common.auth.LoginThrottle;
import dev.registrymesh.common.auth.TokenVerifier;
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
    KeyRing keyRing(AuthServiceConfig config) {
        KeyDirectory dir = new KeyDirectory(Path.of(config.dataDir(), "keys"));
        try {
            KeyRing ring = dir.loadOrCreate(config.auth().keyAlgorithm(), config.auth().rotateKey());
            for (SigningKey k : ring.keys()) {
                LOG.infof("token key %s (%s)%s", k.kid(), k.algorithm(), k == ring.signing() ? " signs" : " published");
            }
            LOG.infof("signing keys in %s", dir.dir().toAbsolutePath());
            return ring;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load or create the signing keys in " + dir.dir(), e);
        }
    }

    @Produces
    @Singleton
    TokenService tokenService(AuthServiceConfig config, KeyRing keys) {
        AuthServiceConfig.Auth auth = config.auth();
        Clock clock = Clock.systemUTC();
        IndexClient index = new CachingIndexClient(new HttpIndexClient(config.indexUrl(), config.internalToken()),
                auth.decisionCacheTtl(), System::nanoTime);
        AuthServiceConfig.Throttle t = auth.throttle();
        LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Settings(t.accountFreeFailures(), t.addressFreeFailures(),
                t.baseDelay(), t.accountMaxDelay(), t.addressMaxDelay(), t.forgetAfter()), clock);
        // Refresh tokens are checked with the same verifier registries use, fed from our own key ring.
        JwksCache ownKeys = new JwksCache(keys::jwks, Duration.ZERO, Duration.ofDays(36500), clock);
        TokenVerifier refreshVerifier = new TokenVerifier(ownKeys, auth.issuer(), 30, clock);
        return new TokenService(index, new TokenIssuer(keys, auth.issuer()), refreshVerifier, throttle,
                auth.tokenTtl(), auth.refreshTtl(), clock);
    }
}
