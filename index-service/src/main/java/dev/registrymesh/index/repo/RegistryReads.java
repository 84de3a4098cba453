package dev.registrymesh.index.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.config.MeshConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads repository content from registry-service's read-only admin API ({@code X-Mesh-Internal-Token}) for the
 * console. Callers check the viewer's pull right first: this class does no authorization. Content by digest never
 * changes, so manifests and configs read by digest are cached (bounded by weight).
 */
@ApplicationScoped
public class RegistryReads {
    private static final Logger LOG = Logger.getLogger(RegistryReads.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN_HEADER = "X-Mesh-Internal-Token";

    @Inject
    MeshConfig config;

    private HttpClient http;
    private String base;
    private final Cache<String, Fetched> byDigest = Caffeine.newBuilder()
            .maximumWeight(32L << 20).weigher((String k, Fetched v) -> v.body().length + 200).build();

    /** A manifest or blob: its media type, its digest, its bytes. */
    public record Fetched(String mediaType, String digest, byte[] body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw ApiException.unavailable("registry-service returned content that is not JSON");
            }
        }
    }

    public record TagEntry(String tag, String digest) {
    }

    @PostConstruct
    void init() {
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
        String url = config.registryUrl();
        base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The repository's tags and their digests; empty when the registry holds nothing under the name. */
    public List<TagEntry> tags(String repository) {
        Optional<Fetched> answer = get("/admin/v1/repositories/" + repository + "/tags");
        List<TagEntry> out = new ArrayList<>();
        answer.ifPresent(a -> a.json().path("tags").forEach(t -> out.add(new TagEntry(t.path("tag").asText(), t.path("digest").asText()))));
        return out;
    }

    /** The manifest a tag or digest names, as stored; 404 when there is none. */
    public Fetched manifest(String repository, String reference) {
        boolean digest = reference.indexOf(':') > 0;
        String key = repository + "@" + reference;
        Fetched cached = digest ? byDigest.getIfPresent(key) : null;
        if (cached != null) {
            return cached;
        }
        Fetched fetched = get("/admin/v1/repositories/" + repository + "/manifests/" + reference)
                .orElseThrow(() -> ApiException.notFound("no manifest " + reference + " in " + repository));
        byDigest.put(repository + "@" + fetched.digest(), fetched);
        return fetched;
    }

    /** A small blob (an image config) by digest; empty when the registry does not have it or it is too large. */
    public Optional<Fetched> config(String repository, String digest) {
        String key = repository + "@" + digest;
        Fetched cached = byDigest.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Fetched> fetched = get("/admin/v1/repositories/" + repository + "/blobs/" + digest);
        fetched.ifPresent(f -> byDigest.put(key, f));
        return fetched;
    }

    /** The referrers index of a manifest (an empty index when it has none). */
    public Fetched referrers(String repository, String digest) {
        return get("/admin/v1/repositories/" + repository + "/referrers/" + digest)
                .orElse(new Fetched("application/vnd.oci.image.index.v1+json", null, "{\"manifests\":[]}".getBytes()));
    }

    /** The answer, empty on 404 (and 413 for blobs), 503 when the registry cannot be reached or fails. */
    private Optional<Fetched> get(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET();
        config.internalToken().filter(t -> !t.isBlank()).ifPresent(t -> request.header(TOKEN_HEADER, t));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            LOG.warnf("cannot reach registry-service at %s: %s", base, e.getMessage());
            throw ApiException.unavailable("registry-service cannot be reached; try again shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted");
        }
        int status = response.statusCode();
        if (status == 404 || status == 413) {
            return Optional.empty();
        }
        if (status != 200) {
            LOG.warnf("registry-service answered %d to GET %s", status, path);
            throw ApiException.unavailable("registry-service answered " + status + "; try again shortly");
        }
        return Optional.of(new Fetched(response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("Docker-Content-Digest").orElse(null), response.body()));
    }
}
