package dev.registrymesh.registry.lifecycle;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.registry.gc.ClusterLock;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The usage in Redis, shared by every registry node, and checked and changed only under the namespace's
 * {@link ClusterLock} in Redis: two pushes into one namespace through two nodes check and commit one after the
 * other, and each sees what the other added.
 * <p>
 * Keys, {@code <ns>} the namespace (the braces keep one namespace's keys in one slot of a Redis Cluster):
 * <pre>
 * mesh:registry:quota:{&lt;ns&gt;}:lock   the lock: a random token, PX the lock TTL (MESH_REGISTRY_QUOTA_LOCK_TTL)
 * mesh:registry:quota:{&lt;ns&gt;}:gen    a counter, INCR by every change the ledger does not apply itself: removals
 *                                   (deletes, collection, retention), writes no limit checked, failed writes
 * mesh:registry:quota:{&lt;ns&gt;}:usage  hash: bytes (HINCRBY by each write), gen (the counter the usage was computed at);
 *                                   expires after {@link #RECOUNT}, which makes the next holder count again
 * mesh:registry:quota:{&lt;ns&gt;}:blobs  hash: digest to size, each blob of the namespace once
 * mesh:registry:quota:{&lt;ns&gt;}:repos  set: the namespace's repositories
 * </pre>
 * The usage is trusted only while its {@code gen} equals the counter; otherwise the lock holder computes it again
 * from storage (the counter read before the scan, so that a change during the scan makes it stale at once) and
 * writes {@code usage} last. A node that dies half way leaves no {@code usage}, so the next holder counts again.
 * The counter is bumped after the change is in storage, so a scan either sees the change or is marked stale.
 */
public final class RedisUsageLedger implements UsageLedger {
    private static final Logger LOG = Logger.getLogger(RedisUsageLedger.class);
    private static final int BATCH = 500;
    /**
     * The usage is counted from storage again at least this often: it bounds what no counter can announce (a node
     * that lost Redis between its commit and its record, content changed behind the registry's back).
     */
    static final Duration RECOUNT = Duration.ofHours(1);

    private final RedisDataSource redis;
    private final UsageScan scan;
    private final Duration lockTtl;
    private final Duration lockWait;

    public RedisUsageLedger(RedisDataSource redis, UsageScan scan, Duration lockTtl, Duration lockWait) {
        this.redis = redis;
        this.scan = scan;
        this.lockTtl = lockTtl;
        this.lockWait = lockWait;
    }

    static String key(String namespace, String part) {
        return "mesh:registry:quota:{" + namespace + "}:" + part;
    }

    @Override
    public <T> T locked(String namespace, Function<Held, T> action) {
        ClusterLock.Held lock;
        try {
            lock = ClusterLock.redis(redis, key(namespace, "lock"), lockTtl).acquire(lockWait);
        } catch (RuntimeException e) {
            throw unavailable(namespace, e);
        }
        if (lock == null) {
            throw new OciException(ErrorCode.TOOMANYREQUESTS, "namespace '" + namespace + "' is busy: its quota lock was not free within "
                    + lockWait.toSeconds() + " s; try again", Map.of("namespace", namespace));
        }
        try (lock) {
            long bytes;
            try {
                bytes = current(namespace);
            } catch (RuntimeException e) {
                throw unavailable(namespace, e);
            }
            return action.apply(new Shared(namespace, bytes));
        }
    }

    /** The namespace's bytes, after computing its usage again if it is not current. Under the lock. */
    private long current(String namespace) {
        Response gen = redis.execute("GET", key(namespace, "gen"));
        String counter = gen == null ? "0" : gen.toString();
        Response usage = redis.execute("HMGET", key(namespace, "usage"), "bytes", "gen");
        if (usage != null && usage.get(0) != null && usage.get(1) != null && counter.equals(usage.get(1).toString())) {
            return usage.get(0).toLong();
        }
        UsageScan.Result scanned = scan.scan(namespace);
        redis.execute("DEL", key(namespace, "usage"), key(namespace, "blobs"), key(namespace, "repos"));
        List<String> fields = new ArrayList<>();
        for (Map.Entry<Digest, Long> blob : scanned.blobs().entrySet()) {
            fields.add(blob.getKey().toString());
            fields.add(Long.toString(blob.getValue()));
            if (fields.size() >= 2 * BATCH) {
                send("HSET", key(namespace, "blobs"), fields);
            }
        }
        send("HSET", key(namespace, "blobs"), fields);
        List<String> members = new ArrayList<>(scanned.repositories());
        for (int i = 0; i < members.size(); i += BATCH) {
            send("SADD", key(namespace, "repos"), new ArrayList<>(members.subList(i, Math.min(members.size(), i + BATCH))));
        }
        redis.execute("HSET", key(namespace, "usage"), "bytes", Long.toString(scanned.bytes()), "gen", counter);
        redis.execute("EXPIRE", key(namespace, "usage"), Long.toString(RECOUNT.toSeconds()));
        // The parts go a minute after the usage that vouches for them, so an idle namespace leaves nothing behind.
        String parts = Long.toString(RECOUNT.plusMinutes(1).toSeconds());
        redis.execute("EXPIRE", key(namespace, "blobs"), parts);
        redis.execute("EXPIRE", key(namespace, "repos"), parts);
        LOG.debugf("quota: usage of namespace %s computed from storage: %d bytes, %d blobs, %d repositories", namespace,
                scanned.bytes(), scanned.blobs().size(), scanned.repositories().size());
        return scanned.bytes();
    }

    /** One command, a Redis failure as the spec's 503 (the write is refused, not let through unchecked). */
    private Response call(String command, String... args) {
        try {
            return redis.execute(command, args);
        } catch (RuntimeException e) {
            throw new OciException(ErrorCode.UNAVAILABLE, "the quota cannot be checked: Redis is unreachable (" + e.getMessage() + ")", null);
        }
    }

    /** {@code command key args...}, then clears {@code args}; nothing when there are none. */
    private void send(String command, String key, List<String> args) {
        if (args.isEmpty()) {
            return;
        }
        String[] all = new String[args.size() + 1];
        all[0] = key;
        for (int i = 0; i < args.size(); i++) {
            all[i + 1] = args.get(i);
        }
        redis.execute(command, all);
        args.clear();
    }

    /** The usage while the lock is held; reads go to Redis. */
    private final class Shared implements Held {
        private final String namespace;
        private long bytes;

        Shared(String namespace, long bytes) {
            this.namespace = namespace;
            this.bytes = bytes;
        }

        @Override
        public long bytes() {
            return bytes;
        }

        @Override
        public int blobCount() {
            return call("HLEN", key(namespace, "blobs")).toInteger();
        }

        @Override
        public int repositoryCount() {
            return call("SCARD", key(namespace, "repos")).toInteger();
        }

        @Override
        public boolean holdsBlob(Digest digest) {
            return call("HEXISTS", key(namespace, "blobs"), digest.toString()).toInteger() == 1;
        }

        @Override
        public boolean holdsRepository(String repository) {
            return call("SISMEMBER", key(namespace, "repos"), repository).toInteger() == 1;
        }

        @Override
        public void record(String repository, Map<Digest, Long> added) {
            for (Map.Entry<Digest, Long> blob : added.entrySet()) {
                long size = blob.getValue();
                if (size >= 0 && call("HSETNX", key(namespace, "blobs"), blob.getKey().toString(), Long.toString(size)).toInteger() == 1) {
                    bytes = call("HINCRBY", key(namespace, "usage"), "bytes", Long.toString(size)).toLong();
                }
            }
            call("SADD", key(namespace, "repos"), repository);
        }
    }

    @Override
    public <T> T unchecked(String namespace, String repository, Map<Digest, Long> added, Supplier<T> work) {
        try {
            return work.get();
        } finally {
            invalidate(namespace);
        }
    }

    @Override
    public void invalidate(String namespace) {
        try {
            redis.execute("INCR", key(namespace, "gen"));
        } catch (RuntimeException e) {
            // The change is in storage already; until the next one, the usage counts what left (it errs high).
            LOG.warnf("quota: cannot mark the usage of namespace %s stale in Redis (%s); it counts removed content until the next change",
                    namespace, e.toString());
        }
    }

    private static OciException unavailable(String namespace, RuntimeException cause) {
        LOG.warnf("quota: Redis unreachable for namespace %s: %s", namespace, cause.toString());
        return new OciException(ErrorCode.UNAVAILABLE, "the quota of namespace '" + namespace + "' cannot be checked: Redis is unreachable",
                Map.of("namespace", namespace));
    }
}
