package dev.registrymesh.mirror.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.ImageReference;
import dev.registrymesh.common.InvalidReferenceException;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.common.OciException;
import dev.registrymesh.mirror.cache.CachedManifest;
import dev.registrymesh.mirror.cache.ContentStore;
import dev.registrymesh.mirror.config.Upstream;
import dev.registrymesh.mirror.config.Upstreams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Warms the cache with whole images (every platform of an index, every layer) and optionally pins them so
 * that eviction never removes them. References use the Docker grammar; their registry picks the upstream.
 */
@ApplicationScoped
public class Prefetcher {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Vertx vertx;
    @Inject
    Upstreams upstreams;
    @Inject
    ManifestService manifests;
    @Inject
    BlobFetcher fetcher;
    @Inject
    ContentStore store;

    /** One result per reference: its digest, the number of blobs cached and pinned, or the error. */
    public Future<List<Map<String, Object>>> prefetch(List<String> references, boolean pin) {
        List<Future<Map<String, Object>>> all = new ArrayList<>();
        for (String reference : references) {
            Future<Map<String, Object>> started;
            try {
                started = one(reference, pin);
            } catch (RuntimeException e) {
                started = Future.failedFuture(e);
            }
            all.add(started.recover(e -> {
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("reference", reference);
                failed.put("error", e.getMessage());
                return Future.succeededFuture(failed);
            }));
        }
        return Future.join(all).map(done -> all.stream().map(Future::result).toList());
    }

    private Future<Map<String, Object>> one(String text, boolean pin) {
        ImageReference ref;
        try {
            ref = ImageReference.parse(text);
        } catch (InvalidReferenceException | IllegalArgumentException e) {
            return Future.failedFuture(new OciException(ErrorCode.NAME_INVALID, e.getMessage()));
        }
        Upstream upstream = upstreams.byNamespace(ref.registry())
                .orElseThrow(() -> new OciException(ErrorCode.NAME_UNKNOWN, "no upstream is configured for " + ref.registry()));
        String reference = ref.digest() != null ? ref.digest().toString() : ref.tag();
        Set<Digest> pinned = new LinkedHashSet<>();
        return manifests.get(upstream, ref.repository(), reference)
                .compose(served -> collect(upstream, ref.repository(), served.manifest(), pinned))
                .compose(v -> pin ? vertx.executeBlocking(() -> {
                    for (Digest d : pinned) {
                        store.pin(d);
                    }
                    return null;
                }, false) : Future.succeededFuture())
                .map(v -> {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("reference", text);
                    result.put("items", pinned.size());
                    result.put("pinned", pin);
                    return result;
                });
    }

    /** Caches everything {@code manifest} points at, recording every digest in {@code seen}. */
    private Future<Void> collect(Upstream upstream, String repository, CachedManifest manifest, Set<Digest> seen) {
        seen.add(manifest.digest());
        JsonNode root;
        try {
            root = JSON.readTree(manifest.content());
        } catch (IOException e) {
            return Future.failedFuture(new OciException(ErrorCode.MANIFEST_INVALID, "unreadable manifest " + manifest.digest()));
        }
        List<Future<?>> work = new ArrayList<>();
        if (MediaTypes.isIndex(manifest.mediaType()) || root.has("manifests")) {
            for (JsonNode child : root.path("manifests")) {
                Digest digest = Digest.parse(child.path("digest").asText());
                work.add(manifests.get(upstream, repository, digest.toString())
                        .compose(served -> collect(upstream, repository, served.manifest(), seen)));
            }
        } else {
            List<JsonNode> blobs = new ArrayList<>();
            if (root.has("config")) {
                blobs.add(root.get("config"));
            }
            root.path("layers").forEach(blobs::add);
            for (JsonNode blob : blobs) {
                Digest digest = Digest.parse(blob.path("digest").asText());
                seen.add(digest);
                if (!store.has(digest)) {
                    work.add(fetcher.fetch(upstream, repository, digest).done());
                }
            }
        }
        return Future.all(work).mapEmpty();
    }
}
