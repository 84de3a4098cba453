package dev.registrymesh.common.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

/**
 * The public keys a verifier trusts, fetched as a JWKS document and cached. {@link #keys()} never blocks;
 * {@link #refresh()} fetches (blocking) but at most once per {@code minRefetchInterval}, so that tokens
 * with made-up key ids cannot turn the verifier into a load generator against the auth service.
 */
public final class JwksCache {

    /** Where the JWKS document comes from: an HTTP URL in services, a local supplier in the auth service. */
    @FunctionalInterface
    public interface Source {
        String fetch() throws IOException;
    }

    private final Source source;
    private final Duration minRefetchInterval;
    private final Duration maxAge;
    private final Clock clock;
    private volatile List<JsonWebKey> keys = List.of();
    private volatile Instant fetchedAt;
    private volatile Instant lastAttempt;
    private volatile String lastError;
    /** True while {@link #refresh()} fetches: callers that find no usable key then wait for it, not fail. */
    private volatile boolean fetching;

    public JwksCache(Source source, Duration minRefetchInterval, Duration maxAge, Clock clock) {
        this.source = source;
        this.minRefetchInterval = minRefetchInterval;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** Keys from {@code url} (e.g. {@code http://auth:5001/.well-known/jwks.json}): refetch at most every 10 s, re-read every 5 min. */
    public static JwksCache fromUrl(String url) {
        return fromUrl(url, Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    public static JwksCache fromUrl(String url, Duration minRefetchInterval, Duration maxAge) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        URI uri = URI.create(url);
        Source source = () -> {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .header("Accept", "application/json").GET().build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IOException("JWKS " + url + " answered " + response.statusCode());
                }
                return response.body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching " + url, e);
            }
        };
        return new JwksCache(source, minRefetchInterval, maxAge, Clock.systemUTC());
    }

    /** The keys as last fetched; empty before the first successful fetch. */
    public List<JsonWebKey> keys() {
        return keys;
    }

    /** True when a fetch is due (never fetched, or older than the maximum age) and allowed by the rate limit. */
    public boolean refreshDue() {
        Instant fetched = fetchedAt;
        boolean stale = fetched == null || clock.instant().isAfter(fetched.plus(maxAge));
        return stale && refetchAllowed();
    }

    public boolean refetchAllowed() {
        Instant attempt = lastAttempt;
        return attempt == null || !clock.instant().isBefore(attempt.plus(minRefetchInterval));
    }

    /** True while a fetch is in flight; {@link #refresh()} returns only after it ends. */
    public boolean fetching() {
        return fetching;
    }

    /**
     * Fetches the document now unless a fetch happened within the minimum interval. Blocking; a call made
     * while another thread fetches waits for that fetch to end (and then returns false). Returns true when
     * this call fetched and succeeded. A failed fetch keeps the previous keys.
     */
    public synchronized boolean refresh() {
        if (!refetchAllowed()) {
            return false;
        }
        // fetching is raised before lastAttempt and lowered after keys: whoever sees the rate limit in force
        // while no keys have come yet also sees that a fetch is on its way.
        fetching = true;
        lastAttempt = clock.instant();
        try {
            JsonWebKeySet set = new JsonWebKeySet(source.fetch());
            keys = List.copyOf(set.getJsonWebKeys());
            fetchedAt = clock.instant();
            lastError = null;
            return true;
        } catch (IOException | JoseException | RuntimeException e) {
            lastError = e.getMessage();
            return false;
        } finally {
            fetching = false;
        }
    }

    /** The message of the last failed fetch, or null. */
    public String lastError() {
        return lastError;
    }
}
