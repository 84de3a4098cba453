package dev.registrymesh.auth.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.registrymesh.common.auth.Access;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reuses index-service's answers for a few seconds: Docker asks for a token per repository and per layer
 * batch, often in bursts with the same credentials. Only successes are cached (failures go to the brute-force
 * throttle). Passwords are never kept: the key is an HMAC of user and password under a per-process secret.
 * Consequence, documented in AUTH.md: a revoked credential keeps working for at most the cache TTL.
 */
public final class CachingIndexClient implements IndexClient {
    private final IndexClient delegate;
    private final Cache<String, Identity> identities;
    private final Cache<List<Object>, List<Access>> decisions;
    private final SecretKeySpec secret;

    public CachingIndexClient(IndexClient delegate, Duration ttl, Ticker ticker) {
        this.delegate = delegate;
        this.identities = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).ticker(ticker).build();
        this.decisions = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).ticker(ticker).build();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.secret = new SecretKeySpec(key, "HmacSHA256");
    }

    @Override
    public Identity authenticate(String username, String password) {
        Identity cached = identities.getIfPresent(hmac(username + '\u0000' + password));
        return cached != null ? cached : authenticateAfresh(username, password);
    }

    @Override
    public Identity authenticateAfresh(String username, String password) {
        Identity identity = delegate.authenticate(username, password);
        identities.put(hmac(username + '\u0000' + password), identity);
        return identity;
    }

    @Override
    public List<Access> authorize(Identity identity, List<Access> requested) {
        if (identity.binding() != null) {
            // A refresh token: its account and credential are checked every time, so that a password change,
            // a rotated secret or a sign-out ends it at once rather than after the cache TTL.
            return delegate.authorize(identity, requested);
        }
        List<Object> key = java.util.Arrays.asList(identity.subject(), identity.credential(), requested);
        List<Access> cached = decisions.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        List<Access> granted = List.copyOf(delegate.authorize(identity, requested));
        decisions.put(key, granted);
        return granted;
    }

    private String hmac(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
