package dev.registrymesh.registry.gc;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.runtime.datasource.BlockingRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import java.time.Duration;

/**
 * A Quarkus {@link RedisDataSource} without an application around it (its public runtime implementation over a
 * Vert.x client of its own): one per simulated registry node, so that two "nodes" hold two connections, and
 * closing one is what a dead node's Redis sees.
 */
public final class RedisClient implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final Redis client;
    private final RedisDataSource data;

    public RedisClient(String url) {
        client = Redis.createClient(vertx, url);
        data = new BlockingRedisDataSourceImpl(vertx, client, RedisAPI.api(client), Duration.ofSeconds(10));
        // The first command sets up SmallRye context propagation, lazily and not thread-safe outside an application
        // (Quarkus does it at start): done here, on one thread, before a test sends from many.
        data.execute("PING");
    }

    public RedisDataSource data() {
        return data;
    }

    @Override
    public void close() {
        client.close();
        vertx.closeAndAwait();
    }
}
