package dev.registrymesh.mirror.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registrymesh.common.Digest;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.mirror.cache.CachedManifest;
import dev.registrymesh.mirror.cache.ContentStore;
import dev.registrymesh.mirror.cache.Fill;
import dev.registrymesh.mirror.config.MirrorConfig;
import dev.registrymesh.mirror.config.Upstream;
import dev.registrymesh.mirror.metrics.MirrorMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Starts fetching an image's config and layers when its manifest goes to a client: a pulling client asks for
 * them a few milliseconds later, and finds the download already running (it joins the same {@link Fill}).
 * <ul>
 * <li>only an image manifest starts anything: an index names every platform, and the client has not chosen
 *     one yet (it asks for its platform's manifest next, which then starts that one's layers);</li>
 * <li>never more than {@code mirror.prefetch-max-bytes} ahead: blobs beyond the budget wait for a client;</li>
 * <li>a failure (a layer the upstream refuses) is the fill's: the client that asks gets the upstream's answer.</li>
 * </ul>
 */
@ApplicationScoped
public class LayerPrefetch {
    private static final Logger LOG = Logger.getLogger(LayerPrefetch.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    BlobFetcher fetcher;
    @Inject
    ContentStore store;
    @Inject
    MirrorConfig config;
    @Inject
    MirrorMetrics metrics;

    /** Bytes of prefetched blobs still downloading. */
    private final AtomicLong reserved = new AtomicLong();
    private long budget;

    @PostConstruct
    void init() {
        budget = config.prefetchMaxBytes().asLongValue();
    }

    /** Called on the event loop when {@code manifest} was answered; returns at once. */
    public void ahead(Upstream upstream, String repository, CachedManifest manifest) {
        if (!config.prefetch() || MediaTypes.isIndex(manifest.mediaType())) {
            return;
        }
        for (Blob blob : blobs(manifest)) {
            if (store.has(blob.digest()) || fetcher.isBusy(blob.digest())) {
                continue;
            }
            if (reserved.addAndGet(blob.size()) > budget) {
                reserved.addAndGet(-blob.size());
                metrics.prefetch("skipped");
                continue;
            }
            metrics.prefetch("started");
            fetcher.fetch(upstream, repository, blob.digest()).done().onComplete(r -> reserved.addAndGet(-blob.size()));
        }
    }

    /** Bytes reserved by prefetches in flight (for tests and readiness detail). */
    public long reservedBytes() {
        return reserved.get();
    }

    private record Blob(Digest digest, long size) {
    }

    /** Config and layers, in the manifest's order; nothing when it cannot be read (the client will see). */
    private static List<Blob> blobs(CachedManifest manifest) {
        List<Blob> out = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(manifest.content());
            List<JsonNode> descriptors = new ArrayList<>();
            if (root.has("config")) {
                descriptors.add(root.get("config"));
            }
            root.path("layers").forEach(descriptors::add);
            for (JsonNode d : descriptors) {
                String digest = d.path("digest").asText("");
                // Foreign layers (urls) live elsewhere; only what the upstream serves is fetched ahead.
                if (Digest.isValid(digest) && !d.has("urls")) {
                    out.add(new Blob(Digest.parse(digest), Math.max(0, d.path("size").asLong(0))));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.debugf("not prefetching from %s: %s", manifest.digest(), e.getMessage());
        }
        return out;
    }
}
