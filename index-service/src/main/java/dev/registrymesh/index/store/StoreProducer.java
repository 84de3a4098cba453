package dev.registrymesh.index.store;

import dev.registrymesh.index.config.MeshConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/** Picks the storage adapter: Redis when REDIS_URL is set, else the embedded store under the data directory. */
@ApplicationScoped
public class StoreProducer {
    private static final Logger LOG = Logger.getLogger(StoreProducer.class);

    @Produces
    @Singleton
    IndexStore store(MeshConfig config, Instance<RedisDataSource> redis) {
        if (config.redisUrl().isPresent()) {
            LOG.infof("index store: Redis (prefix %s)", config.index().redisPrefix());
            return new IndexStore(new RedisBackend(redis.get(), config.index().redisPrefix()));
        }
        Path dir = Path.of(config.dataDir()).resolve("index");
        LOG.infof("index store: embedded, in %s", dir.toAbsolutePath());
        return new IndexStore(new EmbeddedBackend(dir, config.index().fsync()));
    }

    void close(@Disposes IndexStore store) {
        store.close();
    }
}
