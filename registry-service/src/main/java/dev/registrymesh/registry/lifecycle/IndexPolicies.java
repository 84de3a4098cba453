package dev.registrymesh.registry.lifecycle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Namespace settings read from index-service's internal API, cached for {@code ttl}. When index-service cannot be
 * reached, the last answer it gave stays in use (logged); a namespace never fetched then has no limits, so that an
 * index outage does not stop every push.
 */
public final class IndexPolicies implements PolicySource {
    private static final Logger LOG = Logger.getLogger(IndexPolicies.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final Optional<String> internalToken;
    private final Cache<String, NamespacePolicy> fresh;
    private final Map<String, NamespacePolicy> lastKnown = new ConcurrentHashMap<>();

    public IndexPolicies(String indexUrl, Optional<String> internalToken, Duration ttl) {
        this.base = indexUrl.endsWith("/") ? indexUrl.substring(0, indexUrl.length() - 1) : indexUrl;
        this.internalToken = internalToken.filter(t -> !t.isBlank());
        this.fresh = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(100_000).build();
    }

    @Override
    public NamespacePolicy policy(String namespace) {
        return fresh.get(namespace, this::fetch);
    }

    /** Drops the cached settings of a namespace (index-service changed them). */
    public void forget(String namespace) {
        fresh.invalidate(namespace);
    }

    private NamespacePolicy fetch(String namespace) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/internal/v1/namespaces/"
                + URLEncoder.encode(namespace, StandardCharsets.UTF_8) + "/lifecycle")).timeout(Duration.ofSeconds(5)).GET();
        internalToken.ifPresent(t -> request.header("X-Mesh-Internal-Token", t));
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 404) {
                return remember(namespace, NamespacePolicy.none(namespace));
            }
            if (response.statusCode() != 200) {
                throw new java.io.IOException("index-service answered " + response.statusCode());
            }
            return remember(namespace, JSON.readValue(response.body(), NamespacePolicy.class));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            NamespacePolicy known = lastKnown.get(namespace);
            LOG.warnf("cannot read the lifecycle settings of namespace %s from index-service (%s); %s", namespace, e.toString(),
                    known != null ? "using the last known ones" : "no quota or rule applies until it answers");
            return known != null ? known : NamespacePolicy.none(namespace);
        }
    }

    private NamespacePolicy remember(String namespace, NamespacePolicy policy) {
        lastKnown.put(namespace, policy);
        return policy;
    }
}
