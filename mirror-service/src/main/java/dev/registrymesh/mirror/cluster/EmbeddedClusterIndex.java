package dev.registrymesh.mirror.cluster;

import dev.registrymesh.mirror.cache.CachedManifest;

import dev.registrymesh.common.Digest;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The index of a single node (no {@code REDIS_URL}): in memory, so only this node ever holds anything. */
public class EmbeddedClusterIndex implements ClusterIndex {
    private record Lock(String owner, long expiresAtMillis) {
    }

    private final Map<Digest, Set<String>> holders = new ConcurrentHashMap<>();
    private final Map<Digest, Lock> locks = new ConcurrentHashMap<>();

    @Override
    public Future<Set<String>> holders(Digest digest) {
        return Future.succeededFuture(Set.copyOf(holders.getOrDefault(digest, Set.of())));
    }

    @Override
    public Future<Void> addHolder(Digest digest, String node) {
        holders.computeIfAbsent(digest, d -> ConcurrentHashMap.newKeySet()).add(node);
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> addHolders(Collection<Digest> digests, String node) {
        digests.forEach(d -> addHolder(d, node));
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> removeHolder(Digest digest, String node) {
        holders.computeIfPresent(digest, (d, nodes) -> {
            nodes.remove(node);
            return nodes.isEmpty() ? null : nodes;
        });
        return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> tryLock(Digest digest, String node, Duration lease) {
        long now = System.currentTimeMillis();
        Lock mine = new Lock(node, now + lease.toMillis());
        Lock result = locks.compute(digest, (d, current) ->
                current == null || current.expiresAtMillis() <= now || current.owner().equals(node) ? mine : current);
        return Future.succeededFuture(result == mine);
    }

    @Override
    public Future<Boolean> renew(Digest digest, String node, Duration lease) {
        long now = System.currentTimeMillis();
        Lock renewed = new Lock(node, now + lease.toMillis());
        Lock result = locks.computeIfPresent(digest, (d, current) ->
                current.owner().equals(node) && current.expiresAtMillis() > now ? renewed : current);
        return Future.succeededFuture(result == renewed);
    }

    @Override
    public Future<Void> unlock(Digest digest, String node) {
        locks.computeIfPresent(digest, (d, current) -> current.owner().equals(node) ? null : current);
        return Future.succeededFuture();
    }

    @Override
    public Future<Optional<String>> lockOwner(Digest digest) {
        Lock lock = locks.get(digest);
        return Future.succeededFuture(lock == null || lock.expiresAtMillis() <= System.currentTimeMillis()
                ? Optional.empty() : Optional.of(lock.owner()));
    }

    private final Map<String, TagState> tags = new ConcurrentHashMap<>();

    @Override
    public Future<Optional<TagState>> tag(String tagKey) {
        return Future.succeededFuture(Optional.ofNullable(tags.get(tagKey)));
    }

    @Override
    public Future<Void> putTag(String tagKey, TagState state, Duration keep) {
        tags.merge(tagKey, state, (old, now) -> now.validatedAt() >= old.validatedAt() ? now : old);
        return Future.succeededFuture();
    }

    private record Kept(CachedManifest manifest, long expiresAtMillis) {
    }

    /** One node shares with itself only: a small bounded copy keeps the contract without holding much. */
    private final com.github.benmanes.caffeine.cache.Cache<Digest, Kept> manifests =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(1000).build();

    @Override
    public Future<Optional<CachedManifest>> manifest(Digest digest) {
        Kept kept = manifests.getIfPresent(digest);
        return Future.succeededFuture(kept == null || kept.expiresAtMillis() <= System.currentTimeMillis()
                ? Optional.empty() : Optional.of(kept.manifest()));
    }

    @Override
    public Future<Void> putManifest(CachedManifest manifest, Duration keep) {
        manifests.put(manifest.digest(), new Kept(manifest, System.currentTimeMillis() + keep.toMillis()));
        return Future.succeededFuture();
    }

    @Override
    public String kind() {
        return "embedded";
    }

    @Override
    public boolean healthy() {
        return true;
    }
}
