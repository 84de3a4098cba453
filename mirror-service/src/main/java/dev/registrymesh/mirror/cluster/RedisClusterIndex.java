package dev.registrymesh.mirror.cluster;

import dev.registrymesh.mirror.cache.CachedManifest;
import java.util.Base64;

import dev.registrymesh.common.Digest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * The cluster index in Redis. Keys: {@code mesh:mirror:holders:<digest>} (a set of node URLs) and
 * {@code mesh:mirror:lock:<digest>} (the owner's URL, with the lease as its expiry) and
 * {@code mesh:mirror:tag:<upstream>/<repository>:<tag>} ({@code <digest> <validated-at millis>}, so that one
 * node's revalidation serves all) and {@code mesh:mirror:manifest:<digest>} ({@code <media type> <base64>},
 * recent manifests, so that one node's upstream GET serves all). Lock renewal and release
 * are Lua scripts so that a node never extends or drops a lock another node has taken since.
 *
 * <p>While Redis is unreachable every call fails at once (no waiting on a dead server); a ping each second
 * notices its return, and {@link #onReconnect} listeners re-announce what their node holds.
 */
public class RedisClusterIndex implements ClusterIndex {
    private static final Logger LOG = Logger.getLogger(RedisClusterIndex.class);
    private static final String HOLDERS = "mesh:mirror:holders:";
    private static final String LOCK = "mesh:mirror:lock:";
    private static final String TAG = "mesh:mirror:tag:";
    private static final String MANIFEST = "mesh:mirror:manifest:";
    private static final String RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    private static final String UNLOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    private static final String LOCK_OR_RENEW = "local c = redis.call('get', KEYS[1]) "
            + "if c == false or c == ARGV[1] then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 else return 0 end";

    private final Vertx vertx;
    private final Redis client;
    private final RedisAPI api;
    private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
    private final long pingTimer;
    private volatile boolean healthy = true;

    public RedisClusterIndex(Vertx vertx, String url) {
        this.vertx = vertx;
        RedisOptions options = new RedisOptions()
                .setConnectionString(url)
                .setMaxPoolSize(16)
                .setMaxPoolWaiting(512)
                .setMaxWaitingHandlers(4096)
                .setNetClientOptions(new NetClientOptions().setConnectTimeout(1000).setTcpKeepAlive(true));
        this.client = Redis.createClient(vertx, options);
        this.api = RedisAPI.api(client);
        this.pingTimer = vertx.setPeriodic(1000, id -> ping());
    }

    private void ping() {
        api.ping(List.of()).onComplete(r -> {
            boolean ok = r.succeeded();
            if (ok && !healthy) {
                LOG.info("Redis is reachable again: rejoining the cluster");
                healthy = true;
                reconnectListeners.forEach(Runnable::run);
            } else if (!ok && healthy) {
                LOG.warnf("Redis is unreachable (%s): serving alone until it returns", r.cause().getMessage());
                healthy = false;
            }
        });
    }

    /** Runs a command unless Redis is known to be down; a failure marks it down. */
    private <T> Future<T> call(java.util.function.Supplier<Future<T>> command) {
        if (!healthy) {
            return Future.failedFuture(new IllegalStateException("Redis is unreachable"));
        }
        return command.get().onFailure(e -> {
            if (healthy) {
                LOG.warnf("Redis call failed (%s): serving alone until it answers again", e.getMessage());
            }
            healthy = false;
        });
    }

    @Override
    public Future<Set<String>> holders(Digest digest) {
        return call(() -> api.smembers(HOLDERS + digest)).map(response -> {
            Set<String> nodes = new HashSet<>();
            if (response != null) {
                for (Response node : response) {
                    nodes.add(node.toString());
                }
            }
            return nodes;
        });
    }

    @Override
    public Future<Void> addHolder(Digest digest, String node) {
        return call(() -> api.sadd(List.of(HOLDERS + digest, node))).mapEmpty();
    }

    /** In batches, so that a node with a large cache never floods the client's queue of waiting commands. */
    @Override
    public Future<Void> addHolders(Collection<Digest> digests, String node) {
        List<Digest> all = new ArrayList<>(digests);
        Future<Void> chain = Future.succeededFuture();
        for (int from = 0; from < all.size(); from += 256) {
            List<Digest> batch = all.subList(from, Math.min(all.size(), from + 256));
            chain = chain.compose(v -> {
                List<Future<Response>> sent = new ArrayList<>();
                for (Digest digest : batch) {
                    sent.add(call(() -> api.sadd(List.of(HOLDERS + digest, node))));
                }
                return Future.all(sent).mapEmpty();
            });
        }
        return chain;
    }

    @Override
    public Future<Void> removeHolder(Digest digest, String node) {
        return call(() -> api.srem(List.of(HOLDERS + digest, node))).mapEmpty();
    }

    @Override
    public Future<Boolean> tryLock(Digest digest, String node, Duration lease) {
        return call(() -> api.eval(List.of(LOCK_OR_RENEW, "1", LOCK + digest, node, Long.toString(lease.toMillis()))))
                .map(r -> r != null && r.toLong() == 1L);
    }

    @Override
    public Future<Boolean> renew(Digest digest, String node, Duration lease) {
        return call(() -> api.eval(List.of(RENEW, "1", LOCK + digest, node, Long.toString(lease.toMillis()))))
                .map(r -> r != null && r.toLong() == 1L);
    }

    @Override
    public Future<Void> unlock(Digest digest, String node) {
        return call(() -> api.eval(List.of(UNLOCK, "1", LOCK + digest, node))).mapEmpty();
    }

    @Override
    public Future<Optional<String>> lockOwner(Digest digest) {
        return call(() -> api.get(LOCK + digest)).map(r -> r == null ? Optional.empty() : Optional.of(r.toString()));
    }

    @Override
    public Future<Optional<TagState>> tag(String tagKey) {
        return call(() -> api.get(TAG + tagKey)).map(r -> {
            if (r == null) {
                return Optional.<TagState>empty();
            }
            String[] parts = r.toString().split(" ");
            return Optional.of(new TagState(Digest.parse(parts[0]), Long.parseLong(parts[1])));
        });
    }

    @Override
    public Future<Void> putTag(String tagKey, TagState state, Duration keep) {
        return call(() -> api.set(List.of(TAG + tagKey, state.digest() + " " + state.validatedAt(), "PX", Long.toString(Math.max(1, keep.toMillis())))))
                .mapEmpty();
    }

    /** Stored as {@code <media type> <base64 bytes>}: exact bytes whatever their encoding. */
    @Override
    public Future<Optional<CachedManifest>> manifest(Digest digest) {
        return call(() -> api.get(MANIFEST + digest)).map(r -> {
            if (r == null) {
                return Optional.<CachedManifest>empty();
            }
            String value = r.toString();
            int space = value.indexOf(' ');
            if (space <= 0) {
                return Optional.<CachedManifest>empty();
            }
            return Optional.of(new CachedManifest(digest, value.substring(0, space), Base64.getDecoder().decode(value.substring(space + 1))));
        });
    }

    @Override
    public Future<Void> putManifest(CachedManifest manifest, Duration keep) {
        String value = manifest.mediaType() + " " + Base64.getEncoder().encodeToString(manifest.content());
        return call(() -> api.set(List.of(MANIFEST + manifest.digest(), value, "PX", Long.toString(Math.max(1, keep.toMillis())))))
                .mapEmpty();
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public boolean healthy() {
        return healthy;
    }

    @Override
    public void onReconnect(Runnable action) {
        reconnectListeners.add(action);
    }

    @Override
    public void close() {
        vertx.cancelTimer(pingTimer);
        client.close();
    }
}
