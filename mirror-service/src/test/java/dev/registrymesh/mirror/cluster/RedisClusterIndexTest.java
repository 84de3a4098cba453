package dev.registrymesh.mirror.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.common.Digest;
import dev.registrymesh.testkit.RedisServer;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract against a real redis-server, plus what only Redis can do: go away and come back. */
class RedisClusterIndexTest extends ClusterIndexContract {
    private static RedisServer redis;
    private static Vertx vertx;
    private static RedisClusterIndex index;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        vertx = Vertx.vertx();
        index = new RedisClusterIndex(vertx, redis.url());
    }

    @AfterAll
    static void stop() {
        if (index != null) {
            index.close();
        }
        if (vertx != null) {
            vertx.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Override
    ClusterIndex index() {
        return index;
    }

    @Test
    void failsFastWhileRedisIsDownAndRejoinsWhenItReturns() throws Exception {
        RedisServer second = RedisServer.start();
        RedisClusterIndex own = new RedisClusterIndex(vertx, second.url());
        try {
            Digest d = fresh();
            await(own.addHolder(d, A));
            CountDownLatch rejoined = new CountDownLatch(1);
            own.onReconnect(rejoined::countDown);
            int port = second.port();
            second.stop();
            long deadline = System.currentTimeMillis() + 5000;
            while (own.healthy() && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertFalse(own.healthy(), "a stopped Redis is noticed");
            long started = System.nanoTime();
            assertThrows(Exception.class, () -> await(own.holders(d)));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 1000, "fails fast");

            // The same port again (a restarted Redis, empty): the index notices and listeners re-announce.
            RedisServerOnPort again = RedisServerOnPort.start(port);
            try {
                assertTrue(rejoined.await(10, TimeUnit.SECONDS), "rejoined");
                assertTrue(own.healthy());
                assertEquals(Set.of(), await(own.holders(d)));
            } finally {
                again.stop();
            }
        } finally {
            own.close();
            second.stop();
        }
    }
}
