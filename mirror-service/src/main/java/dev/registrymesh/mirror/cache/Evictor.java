package dev.registrymesh.mirror.cache;

import dev.registrymesh.common.Digest;
import dev.registrymesh.mirror.cluster.ClusterIndex;
import dev.registrymesh.mirror.config.MirrorConfig;
import dev.registrymesh.mirror.config.NodeIdentity;
import dev.registrymesh.mirror.fetch.BlobFetcher;
import dev.registrymesh.mirror.metrics.MirrorMetrics;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Keeps the cache under its disk quota: every few seconds, least recently used unpinned content is removed
 * (never content being fetched), and the cluster index forgets this node for it, so that no peer is sent
 * here for a blob that is gone.
 */
@ApplicationScoped
public class Evictor {
    private static final Logger LOG = Logger.getLogger(Evictor.class);

    @Inject
    Vertx vertx;
    @Inject
    ContentStore store;
    @Inject
    ClusterIndex index;
    @Inject
    BlobFetcher fetcher;
    @Inject
    NodeIdentity node;
    @Inject
    MirrorConfig config;
    @Inject
    MirrorMetrics metrics;

    private final AtomicBoolean running = new AtomicBoolean();

    void schedule(@Observes StartupEvent event) {
        metrics.cacheSize(store.totalBytes());
        vertx.setPeriodic(config.evictionInterval().toMillis(), id -> {
            if (running.compareAndSet(false, true)) {
                vertx.executeBlocking(this::evictNow, false).onComplete(r -> running.set(false));
            }
        });
    }

    /** Evicts down to the quota now; returns what was removed. Blocking. */
    public List<Digest> evictNow() {
        long before = store.totalBytes();
        List<Digest> removed = evict(store, index, node.url(), config.diskQuota().asLongValue(), fetcher::isBusy);
        long freed = before - store.totalBytes();
        if (!removed.isEmpty()) {
            metrics.evicted(removed.size(), freed);
            LOG.infof("evicted %d items (%d bytes) to stay under the %s quota", removed.size(), freed, config.diskQuota());
        }
        metrics.cacheSize(store.totalBytes());
        return removed;
    }

    /** Removes LRU content beyond {@code quota} and tells the cluster index that {@code node} no longer holds it. */
    static List<Digest> evict(ContentStore store, ClusterIndex index, String node, long quota, java.util.function.Predicate<Digest> busy) {
        List<Digest> removed = store.evict(quota, busy);
        for (Digest digest : removed) {
            index.removeHolder(digest, node).onFailure(e -> LOG.debugf("cannot unrecord %s: %s", digest, e.getMessage()));
        }
        return removed;
    }
}
