package dev.registrymesh.mirror.cluster;

import dev.registrymesh.mirror.config.MeshSettings;
import io.quarkus.arc.DefaultBean;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Redis when {@code REDIS_URL} is set, otherwise the embedded single-node index. */
@ApplicationScoped
public class ClusterIndexProducer {
    private static final Logger LOG = Logger.getLogger(ClusterIndexProducer.class);

    @Produces
    @Singleton
    @DefaultBean
    ClusterIndex index(Vertx vertx, MeshSettings settings) {
        return settings.redisUrl().filter(url -> !url.isBlank()).<ClusterIndex>map(url -> {
            LOG.infof("cluster index in Redis at %s", url.replaceAll("//[^@/]*@", "//***@"));
            return new RedisClusterIndex(vertx, url);
        }).orElseGet(() -> {
            LOG.info("no REDIS_URL: single node with the embedded cluster index");
            return new EmbeddedClusterIndex();
        });
    }

    void close(@Disposes ClusterIndex index) {
        index.close();
    }
}
