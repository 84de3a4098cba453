package dev.registrymesh.registry.config;

import dev.registrymesh.registry.blob.BlobService;
import dev.registrymesh.registry.blob.UploadJanitor;
import dev.registrymesh.registry.blob.UploadService;
import dev.registrymesh.registry.lifecycle.Admission;
import dev.registrymesh.registry.manifest.ManifestService;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.FileBlobStore;
import dev.registrymesh.registry.storage.FileRepositoryStore;
import dev.registrymesh.registry.storage.RepositoryStore;
import dev.registrymesh.registry.storage.StorageLayout;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds the storage and the plain services on it from configuration, and schedules their housekeeping. */
public class StorageProducer {

    @Produces
    @Singleton
    StorageLayout layout(@ConfigProperty(name = "mesh.data-dir") String dataDir) {
        return new StorageLayout(Path.of(dataDir).toAbsolutePath());
    }

    @Produces
    @Singleton
    BlobStore blobStore(StorageLayout layout) {
        return new FileBlobStore(layout);
    }

    @Produces
    @Singleton
    RepositoryStore repositoryStore(StorageLayout layout) {
        return new FileRepositoryStore(layout);
    }

    @Produces
    @Singleton
    BlobService blobService(BlobStore blobs, RepositoryStore repositories, Admission admission) {
        return new BlobService(blobs, repositories, admission);
    }

    @Produces
    @Singleton
    UploadService uploadService(Vertx vertx, StorageLayout layout, BlobStore blobs, RepositoryStore repositories, Admission admission) {
        return new UploadService(vertx, layout, blobs, repositories, admission);
    }

    @Produces
    @Singleton
    UploadJanitor uploadJanitor(StorageLayout layout, RegistryConfig config) {
        return new UploadJanitor(layout, config.uploadTimeToLive());
    }

    /**
     * At start, removes what a crashed predecessor left (files older than this JVM), then purges abandoned uploads,
     * again every hour; on a worker thread.
     */
    void scheduleJanitor(@Observes StartupEvent start, Vertx vertx, UploadJanitor janitor) {
        Instant processStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        vertx.executeBlocking(() -> {
            janitor.removeOrphans(processStart);
            return janitor.purge();
        }, false);
        vertx.setPeriodic(Duration.ofHours(1).toMillis(), id -> vertx.executeBlocking(janitor::purge, false));
    }

    @Produces
    @Singleton
    ManifestService manifestService(BlobStore blobs, RepositoryStore repositories, Admission admission) {
        return new ManifestService(blobs, repositories, admission);
    }
}
