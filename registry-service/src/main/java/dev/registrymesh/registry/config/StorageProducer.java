package dev.registrymesh.registry.config;

import dev.registrymesh.registry.blob.BlobService;
import dev.registrymesh.registry.blob.UploadJanitor;
import dev.registrymesh.registry.blob.UploadService;
import dev.registrymesh.registry.lifecycle.Admission;
import dev.registrymesh.registry.manifest.ManifestService;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.RepositoryStore;
import dev.registrymesh.registry.storage.UploadStore;
import dev.registrymesh.registry.storage.filesystem.FileBlobStore;
import dev.registrymesh.registry.storage.filesystem.FileRepositoryStore;
import dev.registrymesh.registry.storage.filesystem.FileUploadStore;
import dev.registrymesh.registry.storage.filesystem.StorageLayout;
import dev.registrymesh.registry.storage.s3.S3BlobStore;
import dev.registrymesh.registry.storage.s3.S3RepositoryStore;
import dev.registrymesh.registry.storage.s3.S3Settings;
import dev.registrymesh.registry.storage.s3.S3Storage;
import dev.registrymesh.registry.storage.s3.S3UploadStore;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the storage driver chosen by {@code MESH_STORAGE_DRIVER} and the plain services on it, and schedules
 * their housekeeping. Both drivers keep temp files (spooled chunks, monolithic uploads) under the data directory.
 */
public class StorageProducer {

    /** The driver's three stores, built together because they share a client (s3) or a layout (filesystem). */
    public record Stores(BlobStore blobs, RepositoryStore repositories, UploadStore uploads, Path localTemp, AutoCloseable resources) {
    }

    @Produces
    @Singleton
    Stores stores(@ConfigProperty(name = "mesh.data-dir") String dataDir, StorageConfig config, StorageConfig.S3 s3) {
        StorageLayout layout = new StorageLayout(Path.of(dataDir).toAbsolutePath());
        switch (config.driver()) {
            case "filesystem" -> {
                FileBlobStore blobs = new FileBlobStore(layout);
                return new Stores(blobs, new FileRepositoryStore(layout), new FileUploadStore(layout, blobs), layout.tmp(), () -> { });
            }
            case "s3" -> {
                long partSize = s3.partSize();
                if (partSize < S3Settings.MIN_PART_SIZE) {
                    throw new IllegalArgumentException("MESH_S3_PART_SIZE must be at least " + S3Settings.MIN_PART_SIZE);
                }
                S3Settings settings = new S3Settings(s3.endpoint().orElse(null), s3.region().orElse(null), s3.bucket().orElse(null),
                        s3.prefix().orElse(""), s3.pathStyle(), s3.sse().orElse(null), s3.sseKmsKeyId().orElse(null),
                        s3.redirect() ? s3.redirectTtl() : null, partSize);
                S3Storage storage = new S3Storage(settings, null);
                return new Stores(new S3BlobStore(storage, layout.tmp()), new S3RepositoryStore(storage),
                        new S3UploadStore(storage, layout.tmp()), layout.tmp(), storage);
            }
            default -> throw new IllegalArgumentException("MESH_STORAGE_DRIVER must be filesystem or s3, not " + config.driver());
        }
    }

    void close(@Disposes Stores stores) throws Exception {
        stores.resources().close();
    }

    @Produces
    @Singleton
    BlobStore blobStore(Stores stores) {
        return stores.blobs();
    }

    @Produces
    @Singleton
    RepositoryStore repositoryStore(Stores stores) {
        return stores.repositories();
    }

    @Produces
    @Singleton
    BlobService blobService(BlobStore blobs, RepositoryStore repositories, Admission admission) {
        return new BlobService(blobs, repositories, admission);
    }

    @Produces
    @Singleton
    UploadService uploadService(Vertx vertx, Stores stores, Admission admission) {
        return new UploadService(vertx, stores.uploads(), stores.blobs(), stores.repositories(), admission);
    }

    @Produces
    @Singleton
    UploadJanitor uploadJanitor(Stores stores, RegistryConfig config) {
        return new UploadJanitor(stores.uploads(), stores.localTemp(), config.uploadTimeToLive());
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
