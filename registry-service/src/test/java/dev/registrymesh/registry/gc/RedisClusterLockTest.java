package dev.registrymesh.registry.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ClusterLock#redis} against a real redis-server, each "node" with a Redis connection of its own: one holder
 * at a time, a live holder keeps the lock past its TTL, a dead holder's lock expires, and a holder whose lease ran
 * out cannot release (or renew) the next holder's lock.
 */
class RedisClusterLockTest {
    private static RedisServer server;
    private RedisClient nodeA;
    private RedisClient nodeB;
    private String key;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (server != null) {
            server.stop();
        }
    }

    @BeforeEach
    void connect() {
        nodeA = new RedisClient(server.url());
        nodeB = new RedisClient(server.url());
        key = "test:lock:" + UUID.randomUUID();
    }

    @AfterEach
    void disconnect() {
        nodeA.close();
        nodeB.close();
    }

    private ClusterLock lock(RedisClient node, Duration ttl) {
        return ClusterLock.redis(node.data(), key, ttl);
    }

    @Test
    void twoNodesNeverHoldItAtOnce() throws Exception {
        List<ClusterLock> locks = List.of(lock(nodeA, Duration.ofSeconds(5)), lock(nodeB, Duration.ofSeconds(5)));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger entries = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            ClusterLock lock = locks.get(w % 2);
            workers.add(pool.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    ClusterLock.Held held = lock.acquire(Duration.ofSeconds(30));
                    assertNotNull(held, "acquired within 30 s");
                    try (held) {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.sleep(1);
                        entries.incrementAndGet();
                        inside.decrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertEquals(1, most.get(), "never two holders at once");
        assertEquals(200, entries.get());
        assertNull(nodeA.data().execute("GET", key), "released after the last holder");
    }

    @Test
    void aLiveHolderKeepsItPastTheTtlAndTheOtherNodeWaits() throws Exception {
        ClusterLock a = lock(nodeA, Duration.ofMillis(300));
        ClusterLock b = lock(nodeB, Duration.ofMillis(300));
        try (ClusterLock.Held held = a.tryAcquire()) {
            assertNotNull(held);
            Thread.sleep(1000); // more than three TTLs: only the renewals keep it
            assertNull(b.tryAcquire(), "still held by node A");
            assertNull(b.acquire(Duration.ofMillis(200)), "a waiter gives up at its deadline");
        }
        ClusterLock.Held next = b.acquire(Duration.ofSeconds(2));
        assertNotNull(next, "free once released");
        next.close();
    }

    @Test
    void aDeadHoldersLockExpiresAfterItsTtl() throws Exception {
        RedisClient dying = new RedisClient(server.url());
        ClusterLock.Held zombie = lock(dying, Duration.ofMillis(800)).tryAcquire();
        assertNotNull(zombie);
        dying.close(); // the node is gone: no renewal reaches Redis any more, nor a release
        ClusterLock survivor = lock(nodeA, Duration.ofSeconds(5));
        assertNull(survivor.tryAcquire(), "held until the TTL runs out");
        long start = System.nanoTime();
        ClusterLock.Held held = survivor.acquire(Duration.ofSeconds(10));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertNotNull(held, "the dead node's lock expired");
        assertTrue(waited < 5000, "within about the TTL: " + waited + " ms");
        zombie.close(); // the dead node's release (its client is closed) changes nothing
        assertNull(lock(nodeB, Duration.ofSeconds(5)).tryAcquire(), "still held by the survivor");
        held.close();
    }

    @Test
    void aHolderWhoseLeaseRanOutCannotReleaseOrRenewTheNextHoldersLock() throws Exception {
        ClusterLock.Held stale = lock(nodeA, Duration.ofMillis(300)).tryAcquire(); // renewed every 100 ms
        assertNotNull(stale);
        // Node A stalls past its TTL (a GC pause, a partition): its lease runs out.
        nodeB.data().execute("PEXPIRE", key, "1");
        ClusterLock.Held current = lock(nodeB, Duration.ofSeconds(30)).acquire(Duration.ofSeconds(2));
        assertNotNull(current, "node B takes the expired lock");
        String token = nodeB.data().execute("GET", key).toString();
        Thread.sleep(500); // node A's renewals keep running meanwhile
        long ttl = nodeB.data().execute("PTTL", key).toLong();
        assertTrue(ttl > 20_000, "node A's renewals did not touch node B's lock (they would set 300 ms): " + ttl);

        stale.close(); // node A wakes up and releases "its" lock
        assertNotNull(nodeB.data().execute("GET", key), "node A's release left node B's lock alone");
        assertEquals(token, nodeB.data().execute("GET", key).toString());
        assertNull(lock(nodeA, Duration.ofSeconds(30)).tryAcquire(), "nobody else gets it while node B holds it");

        current.close();
        assertNull(nodeB.data().execute("GET", key), "node B's release frees it");
        ClusterLock.Held again = lock(nodeA, Duration.ofSeconds(30)).tryAcquire();
        assertNotNull(again);
        again.close();
    }
}
