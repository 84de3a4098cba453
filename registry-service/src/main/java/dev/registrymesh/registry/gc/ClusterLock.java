package dev.registrymesh.registry.gc;

import io.quarkus.redis.datasource.RedisDataSource;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/** One collection at a time: in this process, or across every registry node sharing a Redis. */
public interface ClusterLock {

    /** Held until closed. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** The lock, or null when someone else holds it. */
    Held tryAcquire();

    /** A lock of this process. */
    static ClusterLock local() {
        ReentrantLock lock = new ReentrantLock();
        return () -> lock.tryLock() ? lock::unlock : null;
    }

    /**
     * {@code SET key token NX PX ttl}, renewed every third of the TTL while held and released only by its holder (a
     * compare-and-delete script), so that a node that dies mid-run frees the lock after the TTL.
     */
    static ClusterLock redis(RedisDataSource redis, String key, Duration ttl) {
        ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mesh-gc-lock");
            t.setDaemon(true);
            return t;
        });
        String renew = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
        String release = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
        return () -> {
            String token = UUID.randomUUID().toString();
            var set = redis.execute("SET", key, token, "NX", "PX", Long.toString(ttl.toMillis()));
            if (set == null || !"OK".equals(set.toString())) {
                return null;
            }
            long period = Math.max(1, ttl.toMillis() / 3);
            ScheduledFuture<?> renewal = renewer.scheduleAtFixedRate(() -> {
                try {
                    redis.execute("EVAL", renew, "1", key, token, Long.toString(ttl.toMillis()));
                } catch (RuntimeException e) {
                    // Redis away for a moment: the next renewal tries again; the TTL bounds the damage.
                }
            }, period, period, TimeUnit.MILLISECONDS);
            return () -> {
                renewal.cancel(false);
                redis.execute("EVAL", release, "1", key, token);
            };
        };
    }
}
