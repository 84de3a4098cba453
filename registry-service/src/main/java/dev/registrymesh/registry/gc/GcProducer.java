package dev.registrymesh.registry.gc;

import dev.registrymesh.registry.blob.UploadJanitor;
import dev.registrymesh.registry.lifecycle.IndexPolicies;
import dev.registrymesh.registry.lifecycle.MeshAdmission;
import dev.registrymesh.registry.lifecycle.PolicySource;
import dev.registrymesh.registry.lifecycle.QuotaGuard;
import dev.registrymesh.registry.lifecycle.LocalUsageLedger;
import dev.registrymesh.registry.lifecycle.RedisUsageLedger;
import dev.registrymesh.registry.lifecycle.RetentionPlanner;
import dev.registrymesh.registry.lifecycle.UsageLedger;
import dev.registrymesh.registry.lifecycle.UsageScan;
import dev.registrymesh.registry.lifecycle.Admission;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.RepositoryStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Wires the collection, quotas, retention and immutable tags from configuration, and schedules collections. */
public class GcProducer {
    private static final Logger LOG = Logger.getLogger(GcProducer.class);

    @Produces
    @Singleton
    WriteBarrier writeBarrier() {
        return new WriteBarrier();
    }

    @Produces
    @Singleton
    PolicySource policies(@ConfigProperty(name = "mesh.index-url", defaultValue = "http://127.0.0.1:5002") String indexUrl,
                          @ConfigProperty(name = "mesh.internal-token") Optional<String> internalToken,
                          @ConfigProperty(name = "mesh.registry.policy-cache-ttl", defaultValue = "10s") Duration ttl) {
        return new IndexPolicies(indexUrl, internalToken, ttl);
    }

    /**
     * With REDIS_URL, the namespaces' usage and the lock a push checks and commits under live in Redis, shared by
     * every node (RedisUsageLedger); without it, in this process.
     */
    @Produces
    @Singleton
    QuotaGuard quotaGuard(BlobStore blobs, RepositoryStore repositories, PolicySource policies,
                          @ConfigProperty(name = "mesh.redis-url") Optional<String> redisUrl, Instance<RedisDataSource> redis,
                          @ConfigProperty(name = "mesh.registry.quota-lock-ttl", defaultValue = "30s") Duration lockTtl,
                          @ConfigProperty(name = "mesh.registry.quota-lock-wait", defaultValue = "30s") Duration lockWait) {
        UsageScan scan = new UsageScan(blobs, repositories);
        UsageLedger ledger = redisUrl.filter(u -> !u.isBlank()).isPresent()
                ? new RedisUsageLedger(redis.get(), scan, lockTtl, lockWait)
                : new LocalUsageLedger(scan);
        return new QuotaGuard(policies, ledger);
    }

    @Produces
    @Singleton
    Admission admission(WriteBarrier barrier, QuotaGuard quota, PolicySource policies) {
        return new MeshAdmission(barrier, quota, policies);
    }

    @Produces
    @Singleton
    GcRunner gcRunner(BlobStore blobs, RepositoryStore repositories, WriteBarrier barrier, PolicySource policies, QuotaGuard quota,
                      UploadJanitor janitor, GcSettings settings, MeterRegistry meters,
                      @ConfigProperty(name = "mesh.redis-url") Optional<String> redisUrl, Instance<RedisDataSource> redis) {
        GarbageCollector collector = new GarbageCollector(blobs, repositories, barrier, settings.grace(), settings.deleteUntagged(),
                new RetentionPlanner(policies), janitor::purge, quota::removed, Clock.systemUTC());
        ClusterLock lock = redisUrl.filter(u -> !u.isBlank()).isPresent()
                ? ClusterLock.redis(redis.get(), "mesh:registry:gc:lock", settings.lockTtl())
                : ClusterLock.local();
        return new GcRunner(collector, lock).bind(meters);
    }

    /** MESH_GC_INTERVAL: a collection every interval, on a worker; a run another node holds the lock for is skipped. */
    void schedule(@Observes StartupEvent start, Vertx vertx, GcSettings settings, GcRunner runner) {
        settings.interval().filter(i -> !i.isZero() && !i.isNegative()).ifPresent(interval -> {
            LOG.infof("gc: a collection every %s (grace %s, untagged manifests %s)", interval, settings.grace(),
                    settings.deleteUntagged() ? "collected" : "kept");
            vertx.setPeriodic(interval.toMillis(), id -> vertx.executeBlocking(() -> {
                try {
                    return runner.run(false);
                } catch (RuntimeException e) {
                    LOG.warnf("gc: scheduled collection not run: %s", e.getMessage());
                    return null;
                }
            }, false));
        });
    }
}
