package dev.registrymesh.registry.gc;

import io.quarkus.redis.datasource.RedisDataSource;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * One holder at a time, in this process or across every registry node sharing a Redis: the garbage collection
 * ({@code mesh:registry:gc:lock}) and each namespace's quota check-and-commit ({@code mesh:registry:quota:{ns}:lock},
 * see {@code RedisUsageLedger}) use it.
 */
public interface ClusterLock {

    /** Held until closed. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** The lock, or null when someone else holds it. */
    Held tryAcquire();

    /**
     * The lock, waiting up to {@code wait} for the holder to let it go (polling, 2 ms doubling to 50 ms); null when it
     * did not.
     */
    default Held acquire(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = 2;
        while (true) {
            Held held = tryAcquire();
            if (held != null) {
                return held;
            }
            if (System.nanoTime() - deadline >= 0) {
                return null;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            pause = Math.min(50, pause * 2);
        }
    }

    /** A lock of this process. */
    static ClusterLock local() {
        ReentrantLock lock = new ReentrantLock();
        return () -> lock.tryLock() ? lock::unlock : null;
    }

    /**
     * {@code SET key token NX PX ttl} with a random token, renewed every third of the TTL while held and released
     * only by its holder (compare-and-delete scripts), so that a node that dies while holding it frees it after the
     * TTL, and a holder whose lease ran out cannot renew or release the next holder's lock. Cheap to create: the
     * renewals of every Redis lock of the process share one daemon thread.
     */
    static ClusterLock redis(RedisDataSource redis, String key, Duration ttl) {
        String millis = Long.toString(ttl.toMillis());
        return () -> {
            String token = UUID.randomUUID().toString();
            var set = redis.execute("SET", key, token, "NX", "PX", millis);
            if (set == null || !"OK".equals(set.toString())) {
                return null;
            }
            long period = Math.max(1, ttl.toMillis() / 3);
            java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
            ScheduledFuture<?> renewal = RedisLockScripts.RENEWER.scheduleAtFixedRate(() -> {
                try {
                    var renewed = redis.execute("EVAL", RedisLockScripts.RENEW, "1", key, token, millis);
                    if ((renewed == null || renewed.toLong() == 0) && lost.compareAndSet(false, true)) {
                        RedisLockScripts.LOG.warnf("lock %s expired before its holder released it (a stall longer than %s)", key, ttl);
                    }
                } catch (RuntimeException e) {
                    // Redis away for a moment: the next renewal tries again; the TTL bounds the damage.
                }
            }, period, period, TimeUnit.MILLISECONDS);
            return () -> {
                renewal.cancel(false);
                try {
                    redis.execute("EVAL", RedisLockScripts.RELEASE, "1", key, token);
                } catch (RuntimeException e) {
                    // The work under the lock is done; the TTL frees the lock.
                    RedisLockScripts.LOG.warnf("lock %s not released (%s); it expires within %s", key, e.toString(), ttl);
                }
            };
        };
    }

    /** What every Redis lock of the process shares. */
    final class RedisLockScripts {
        static final Logger LOG = Logger.getLogger(ClusterLock.class);
        static final String RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
        static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
        static final ScheduledExecutorService RENEWER = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mesh-lock-renewal");
            t.setDaemon(true);
            return t;
        });

        private RedisLockScripts() {
        }
    }
}
