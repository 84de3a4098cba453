package dev.registrymesh.index.store;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.redis.datasource.transactions.OptimisticLockingTransactionResult;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * The shared adapter: one Redis hash per table ({@code <prefix>:<table>}, field = key, value = JSON), event ids as
 * expiring keys, read-modify-write through WATCH/MULTI/EXEC, and a pub/sub channel on which every node announces
 * its writes so that all nodes drop their caches at once.
 */
public final class RedisBackend implements KeyValueBackend {
    private static final Logger LOG = Logger.getLogger(RedisBackend.class);
    private static final int MAX_UPDATE_TRIES = 50;

    private final RedisDataSource redis;
    private final String prefix;
    private final HashCommands<String, String, String> hashes;
    private final PubSubCommands<String> pubsub;
    private final String nodeId = UUID.randomUUID().toString();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private Cancellable subscription;

    public RedisBackend(RedisDataSource redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
        this.hashes = redis.hash(String.class, String.class, String.class);
        this.pubsub = redis.pubsub(String.class);
    }

    private String key(String table) {
        return prefix + ":" + table;
    }

    private String channel() {
        return prefix + ":changes";
    }

    private void changed() {
        for (Runnable l : listeners) {
            l.run();
        }
        try {
            pubsub.publish(channel(), nodeId);
        } catch (RuntimeException e) {
            // Other nodes' caches then expire by their TTL instead.
            LOG.warn("could not announce an index change to other nodes", e);
        }
    }

    @Override
    public String get(String table, String key) {
        return hashes.hget(key(table), key);
    }

    @Override
    public Map<String, String> all(String table) {
        return new TreeMap<>(hashes.hgetall(key(table)));
    }

    @Override
    public void put(String table, String key, String json) {
        hashes.hset(key(table), key, json);
        changed();
    }

    @Override
    public boolean putIfAbsent(String table, String key, String json) {
        boolean stored = hashes.hsetnx(key(table), key, json);
        if (stored) {
            changed();
        }
        return stored;
    }

    @Override
    public boolean delete(String table, String key) {
        boolean deleted = hashes.hdel(key(table), key) > 0;
        if (deleted) {
            changed();
        }
        return deleted;
    }

    @Override
    public String update(String table, String key, UnaryOperator<String> fn) {
        String hash = key(table);
        for (int attempt = 0; attempt < MAX_UPDATE_TRIES; attempt++) {
            OptimisticLockingTransactionResult<String> result = redis.withTransaction(
                    ds -> {
                        String current = ds.hash(String.class, String.class, String.class).hget(hash, key);
                        return current == null ? null : fn.apply(current);
                    },
                    (next, tx) -> {
                        if (next != null) {
                            tx.hash(String.class, String.class, String.class).hset(hash, key, next);
                        }
                    },
                    hash);
            String next = result.getPreTransactionResult();
            if (next == null) {
                return null;
            }
            if (!result.discarded()) {
                changed();
                return next;
            }
        }
        throw new IllegalStateException("too much contention updating " + table + "/" + key);
    }

    @Override
    public boolean markEvent(String eventId, Duration retention) {
        Response r = redis.execute("SET", prefix + ":event:" + eventId, "1", "NX", "EX", Long.toString(retention.toSeconds()));
        return r != null;
    }

    @Override
    public void unmarkEvent(String eventId) {
        redis.execute("DEL", prefix + ":event:" + eventId);
    }

    /**
     * Subscribes once, without blocking the caller: a blocking subscribe on a request thread could time out
     * and fail the request. A lost subscription is retried with back-off; changes announced meanwhile are
     * missed, and the caches they concern expire by their TTL.
     */
    @Override
    public synchronized void onChange(Runnable listener) {
        listeners.add(listener);
        if (subscription == null) {
            subscription = redis.getReactive().pubsub(String.class).subscribe(channel())
                    .onFailure().invoke(e -> LOG.warnf("index change channel lost (%s); resubscribing", e.getMessage()))
                    .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(10)).indefinitely()
                    .subscribe().with(from -> {
                        if (!nodeId.equals(from)) {
                            for (Runnable l : listeners) {
                                l.run();
                            }
                        }
                    });
        }
    }

    @Override
    public synchronized void close() {
        if (subscription != null) {
            subscription.cancel();
            subscription = null;
        }
    }
}
