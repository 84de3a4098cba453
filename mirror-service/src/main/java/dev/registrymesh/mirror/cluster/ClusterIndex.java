package dev.registrymesh.mirror.cluster;

import dev.registrymesh.common.Digest;
import dev.registrymesh.mirror.cache.CachedManifest;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * What mirror nodes share: which nodes hold which digests, one fetch lock per digest with a lease (so
 * that one node in the cluster fetches a digest from the upstream, and a node that dies mid-fetch lets
 * another take over once its lease runs out), the last known digest of each tag, and recent manifests.
 * Nodes are named by their base URL.
 *
 * <p>Every operation may fail (the shared store is down); callers then act alone.
 */
public interface ClusterIndex {

    Future<Set<String>> holders(Digest digest);

    Future<Void> addHolder(Digest digest, String node);

    /** Records that {@code node} holds all of {@code digests} (a node rejoining the cluster). */
    Future<Void> addHolders(Collection<Digest> digests, String node);

    Future<Void> removeHolder(Digest digest, String node);

    /** True when {@code node} now owns the lock (also when it already did: the lease is renewed). */
    Future<Boolean> tryLock(Digest digest, String node, Duration lease);

    /** Extends the lease; false when {@code node} no longer owns the lock. */
    Future<Boolean> renew(Digest digest, String node, Duration lease);

    /** Releases the lock if {@code node} owns it. */
    Future<Void> unlock(Digest digest, String node);

    Future<Optional<String>> lockOwner(Digest digest);

    /** What the cluster last learned about an upstream tag: its digest and when the upstream confirmed it. */
    record TagState(Digest digest, long validatedAt) {
    }

    /** The shared state of {@code tagKey} ({@code <upstream>/<repository>:<tag>}), if any node recorded it. */
    Future<Optional<TagState>> tag(String tagKey);

    /** Records that the upstream confirmed {@code state} for {@code tagKey}; forgotten after {@code keep}. */
    Future<Void> putTag(String tagKey, TagState state, Duration keep);

    /**
     * A manifest some node fetched lately, so that other nodes need not ask the upstream (Docker Hub counts
     * every manifest GET against its pull limit). Callers check the bytes against the digest.
     */
    Future<Optional<CachedManifest>> manifest(Digest digest);

    /** Shares a manifest this node fetched and checked; forgotten after {@code keep}. */
    Future<Void> putManifest(CachedManifest manifest, Duration keep);

    /** "embedded" or "redis". */
    String kind();

    /** False while the shared store is unreachable. */
    boolean healthy();

    /** Runs {@code action} each time the shared store is reachable again after an outage. */
    default void onReconnect(Runnable action) {
    }

    default void close() {
    }
}
