package dev.registrymesh.index.repo;

import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.config.MeshConfig;
import dev.registrymesh.index.store.StoreJson;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Deletes content in registry-service through its admin API ({@code X-Mesh-Internal-Token}): the tags,
 * manifests and blob links of one repository, or of every repository of a namespace. The bytes are then
 * garbage the registry's collection reclaims. A failure is a 503: whatever asked for it changes nothing.
 */
@ApplicationScoped
public class RegistryContent {
    private static final Logger LOG = Logger.getLogger(RegistryContent.class);
    private static final String TOKEN_HEADER = "X-Mesh-Internal-Token";

    @Inject
    MeshConfig config;

    private HttpClient http;
    private String base;

    @PostConstruct
    void init() {
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
        String url = config.registryUrl();
        base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Removes every repository whose first component is {@code namespace}. */
    public void deleteNamespace(String namespace) {
        delete("/admin/v1/namespaces/" + namespace, "the content of namespace '" + namespace + "'");
    }

    /** Removes one repository's tags, manifests and blob links; false when the registry held nothing under the name. */
    public boolean deleteRepository(String repository) {
        String answer = delete("/admin/v1/repositories/" + repository, "repository '" + repository + "'");
        try {
            return StoreJson.MAPPER.readTree(answer).path("repositories").size() > 0;
        } catch (IOException e) {
            return true; // it answered 200: whatever was there is gone
        }
    }

    /** The namespace's usage as the registry measures it: usedBytes, blobs, repositories. */
    @SuppressWarnings("unchecked")
    public java.util.Map<String, Object> usage(String namespace) {
        return json(send(HttpRequest.newBuilder(URI.create(base + "/admin/v1/namespaces/" + namespace + "/usage")).GET(),
                "the usage of namespace '" + namespace + "'"));
    }

    /** What retention and collection would remove in the namespace now (a dry run). */
    public java.util.Map<String, Object> retentionPreview(String namespace) {
        return json(send(HttpRequest.newBuilder(URI.create(base + "/admin/v1/namespaces/" + namespace + "/retention-preview")).GET(),
                "a retention preview of namespace '" + namespace + "'"));
    }

    /** Tells the registry to read the namespace's settings again; best effort (its cache expires anyway). */
    public void policyChanged(String namespace) {
        try {
            send(HttpRequest.newBuilder(URI.create(base + "/admin/v1/namespaces/" + namespace + "/policy-changed"))
                    .POST(HttpRequest.BodyPublishers.noBody()), "a settings change");
        } catch (ApiException e) {
            LOG.infof("registry-service not told of the new settings of %s; it reads them again within its cache TTL", namespace);
        }
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, Object> json(String body) {
        try {
            return StoreJson.MAPPER.readValue(body, java.util.Map.class);
        } catch (IOException e) {
            throw ApiException.unavailable("registry-service gave an answer that is not JSON");
        }
    }

    private String send(HttpRequest.Builder request, String what) {
        request.timeout(Duration.ofSeconds(120));
        config.internalToken().filter(t -> !t.isBlank()).ifPresent(t -> request.header(TOKEN_HEADER, t));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw ApiException.unavailable("registry-service answered " + response.statusCode() + " for " + what);
            }
            return response.body();
        } catch (IOException e) {
            throw ApiException.unavailable("registry-service could not be reached for " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted");
        }
    }

    private String delete(String path, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).DELETE();
        config.internalToken().filter(t -> !t.isBlank()).ifPresent(t -> request.header(TOKEN_HEADER, t));
        int status;
        String body;
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            body = response.body();
        } catch (IOException e) {
            LOG.warnf("cannot reach registry-service at %s to delete %s: %s", base, what, e.getMessage());
            throw ApiException.unavailable("registry-service could not be reached to delete " + what + "; nothing was changed, retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted");
        }
        if (status != 200 && status != 204) {
            LOG.warnf("registry-service answered %d when asked to delete %s", status, what);
            throw ApiException.unavailable("registry-service refused to delete " + what + " (" + status + "); nothing was changed");
        }
        return body;
    }
}
