package dev.registrymesh.mirror.fetch;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.mirror.cache.ContentStore;
import dev.registrymesh.mirror.cache.Fill;
import dev.registrymesh.mirror.cluster.ClusterIndex;
import dev.registrymesh.mirror.config.MeshSettings;
import dev.registrymesh.mirror.config.MirrorConfig;
import dev.registrymesh.mirror.config.NodeIdentity;
import dev.registrymesh.mirror.config.Upstream;
import dev.registrymesh.mirror.metrics.MirrorMetrics;
import dev.registrymesh.mirror.upstream.UpstreamClient;
import dev.registrymesh.mirror.upstream.UpstreamError;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Gets a blob into this node's cache, once: concurrent requests on this node share one {@link Fill}, and
 * across the cluster the source is chosen in this order:
 * <ol>
 * <li>a peer that holds the blob (the cluster index says which);</li>
 * <li>the upstream, if this node wins the digest's fetch lock (renewed while the fill runs);</li>
 * <li>otherwise the lock's owner, which streams its in-progress bytes over the internal endpoint; if the
 *     owner cannot (it died, or failed), the lock is tried again once its lease has run out.</li>
 * </ol>
 * When the cluster index is unreachable, this node fetches from the upstream on its own.
 */
@ApplicationScoped
public class BlobFetcher {
    private static final Logger LOG = Logger.getLogger(BlobFetcher.class);
    public static final String INTERNAL_TOKEN_HEADER = dev.registrymesh.common.http.InternalCallers.HEADER;
    private static final long RETRY_DELAY_MS = 250;

    @Inject
    Vertx vertx;
    @Inject
    ContentStore store;
    @Inject
    ClusterIndex index;
    @Inject
    UpstreamClient client;
    @Inject
    NodeIdentity node;
    @Inject
    MirrorConfig config;
    @Inject
    MeshSettings settings;
    @Inject
    MirrorMetrics metrics;

    private final Map<Digest, Fill> fills = new ConcurrentHashMap<>();
    /** Where each running fill gets its bytes ("miss" = upstream, "peer"); for metrics. */
    private final Map<Digest, String> sources = new ConcurrentHashMap<>();

    void announce(@Observes StartupEvent event) {
        // A node that restarts with a warm disk tells the cluster; so does one that rejoins after an outage.
        Runnable rejoin = () -> index.addHolders(List.copyOf(store.digests()), node.url())
                .onFailure(e -> LOG.debugf("cannot announce cached content: %s", e.getMessage()));
        index.onReconnect(rejoin);
        rejoin.run();
    }

    /** The fill in progress on this node for {@code digest}, or null. */
    public Fill inFlight(Digest digest) {
        return fills.get(digest);
    }

    public boolean isBusy(Digest digest) {
        return fills.containsKey(digest);
    }

    /** "miss" or "peer": where the fill of {@code digest} gets its bytes (null when not known yet). */
    public String sourceOf(Digest digest) {
        return sources.get(digest);
    }

    /** This node's fill of {@code digest}, joined or started. */
    public Fill fetch(Upstream upstream, String repository, Digest digest) {
        Fill[] created = new Fill[1];
        Fill fill = fills.computeIfAbsent(digest, d -> {
            try {
                created[0] = new Fill(vertx, store, d);
                return created[0];
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (created[0] != null) {
            metrics.fetchStarted();
            long deadline = System.currentTimeMillis() + config.fetchLease().toMillis() * 3 + config.upstreamIdleTimeout().toMillis();
            fill.done().onComplete(r -> {
                fills.remove(digest, fill);
                String source = sources.remove(digest);
                metrics.fetchEnded();
                if (r.succeeded()) {
                    metrics.bytesFetched(upstream.alias(), source == null ? "miss" : source, fill.written());
                    index.addHolder(digest, node.url()).onFailure(e -> LOG.debugf("cannot record %s: %s", digest, e.getMessage()));
                } else {
                    LOG.infof("fetch of %s failed: %s", digest, r.cause().getMessage());
                }
            });
            // Each fill on the next event loop: its source connection is made there and its bytes are received and
            // hashed there, so an image's layers use every core, not only the one that answered its manifest.
            ((io.vertx.core.impl.VertxInternal) vertx).createEventLoopContext()
                    .runOnContext(v -> fromPeers(upstream, repository, fill, deadline));
        }
        return fill;
    }

    private void fromPeers(Upstream upstream, String repository, Fill fill, long deadline) {
        index.holders(fill.digest()).otherwise(Set.of()).onComplete(r -> {
            List<String> peers = new ArrayList<>(r.result());
            peers.remove(node.url());
            tryPeers(peers.iterator(), upstream, repository, fill).onComplete(started -> {
                if (!started.result()) {
                    lockOrFollow(upstream, repository, fill, deadline);
                }
            });
        });
    }

    /** Succeeds with true once a peer's answer feeds the fill, false when no peer could. */
    private Future<Boolean> tryPeers(Iterator<String> peers, Upstream upstream, String repository, Fill fill) {
        if (!peers.hasNext()) {
            return Future.succeededFuture(false);
        }
        String peer = peers.next();
        return fromPeer(peer, true, upstream, repository, fill)
                .compose(ok -> ok ? Future.succeededFuture(true) : tryPeers(peers, upstream, repository, fill));
    }

    /**
     * A peer's copy, or its fetch in progress; should the peer die mid-body, the rest comes from the upstream.
     * {@code listedHolder}: the index named the peer as a holder (not only as the fetch lock's owner, which holds
     * nothing until its fill is done), so a 404 means the index is wrong about it.
     */
    private Future<Boolean> fromPeer(String peer, boolean listedHolder, Upstream upstream, String repository, Fill fill) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        settings.internalToken().filter(t -> !t.isBlank()).ifPresent(t -> headers.add(INTERNAL_TOKEN_HEADER, t));
        return client.get(peer + "/internal/v1/blobs/" + fill.digest(), headers).map(response -> {
            if (response.statusCode() != 200) {
                UpstreamClient.discard(response);
                if (response.statusCode() == 404 && listedHolder) {
                    // The index sent us to a node that no longer has it (evicted, or its fill failed). Not for a
                    // lock owner: its removal could land after it recorded itself and hide its copy from the cluster.
                    index.removeHolder(fill.digest(), peer);
                }
                return false;
            }
            sources.put(fill.digest(), "peer");
            fill.start(response, offset -> rest(upstream, repository, fill.digest(), offset));
            return true;
        }).otherwise(e -> {
            LOG.debugf("peer %s cannot serve %s: %s", peer, fill.digest(), e.getMessage());
            return false;
        });
    }

    private void lockOrFollow(Upstream upstream, String repository, Fill fill, long deadline) {
        Digest digest = fill.digest();
        index.tryLock(digest, node.url(), config.fetchLease())
                .otherwise(true) // no cluster index: fetch alone
                .onSuccess(owned -> {
                    if (owned) {
                        fromPeersElseUpstream(upstream, repository, fill);
                        return;
                    }
                    index.lockOwner(digest).otherwise(java.util.Optional.empty()).onSuccess(owner -> {
                        Future<Boolean> followed = owner.isPresent() && !owner.get().equals(node.url())
                                ? fromPeer(owner.get(), false, upstream, repository, fill) : Future.succeededFuture(false);
                        followed.onSuccess(ok -> {
                            if (ok) {
                                return;
                            }
                            if (System.currentTimeMillis() > deadline) {
                                fill.fail(new OciException(ErrorCode.UNAVAILABLE, "gave up waiting for the node fetching " + digest));
                                return;
                            }
                            // The owner has not started, has finished (then a peer holds it) or died (its lease will run out).
                            vertx.setTimer(RETRY_DELAY_MS, t -> fromPeers(upstream, repository, fill, deadline));
                        });
                    });
                });
    }

    /**
     * With the fetch lock held: a fill that finished (recorded its holder and unlocked) between this node's look at
     * the holders and its lock must not be fetched again, so look once more before going to the upstream.
     */
    private void fromPeersElseUpstream(Upstream upstream, String repository, Fill fill) {
        Digest digest = fill.digest();
        index.holders(digest).otherwise(Set.of()).onComplete(r -> {
            List<String> peers = new ArrayList<>(r.result());
            peers.remove(node.url());
            tryPeers(peers.iterator(), upstream, repository, fill).onComplete(started -> {
                if (started.result()) {
                    index.unlock(digest, node.url());
                } else {
                    fromUpstream(upstream, repository, fill);
                }
            });
        });
    }

    /** The bytes of {@code digest} from {@code offset} on, from the upstream: a source broke off mid-body. */
    private Future<HttpClientResponse> rest(Upstream upstream, String repository, Digest digest, long offset) {
        LOG.infof("resuming %s at byte %d from %s", digest, offset, upstream.alias());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Range", "bytes=" + offset + "-");
        return client.send(upstream, HttpMethod.GET, repository, "/v2/" + repository + "/blobs/" + digest, headers);
    }

    private void fromUpstream(Upstream upstream, String repository, Fill fill) {
        Digest digest = fill.digest();
        long renewEvery = Math.max(500, config.fetchLease().toMillis() / 3);
        long timer = vertx.setPeriodic(renewEvery, id -> index.renew(digest, node.url(), config.fetchLease()));
        fill.done().onComplete(r -> {
            vertx.cancelTimer(timer);
            Future<Void> recorded = r.succeeded() ? index.addHolder(digest, node.url()) : Future.succeededFuture();
            // Unlock after recording the holder, so that a waiting node finds the blob here.
            recorded.eventually(() -> index.unlock(digest, node.url()));
        });
        sources.put(digest, "miss");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        client.send(upstream, HttpMethod.GET, repository, "/v2/" + repository + "/blobs/" + digest, headers)
                .onFailure(e -> fill.fail(UpstreamError.unreachable(digest.toString(), e)))
                .onSuccess(response -> startOrFail(upstream, repository, fill, response));
    }

    private void startOrFail(Upstream upstream, String repository, Fill fill, HttpClientResponse response) {
        Digest digest = fill.digest();
        if (response.statusCode() == 200) {
            fill.start(response, offset -> rest(upstream, repository, digest, offset));
        } else {
            UpstreamClient.discard(response);
            fill.fail(UpstreamError.of(response.statusCode(), ErrorCode.BLOB_UNKNOWN, "blob " + digest));
        }
    }
}
