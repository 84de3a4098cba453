package dev.registrymesh.registry.storage.filesystem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.registrymesh.registry.blob.UploadService;
import dev.registrymesh.registry.storage.StorageContractTest;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage contract on the filesystem driver. A data directory serves one registry process, whose repository
 * store caches what it wrote: so every "node" here shares that process's blob and repository stores, and gets an
 * upload store and service of its own (sessions are on disk, as after a restart). That a fresh process sees
 * everything on disk is {@link FileRepositoryStoreTest}'s and {@code UploadRestartTest}'s concern.
 */
class FilesystemStorageTest extends StorageContractTest {
    @TempDir
    Path dataDir;
    private FileBlobStore blobs;
    private FileRepositoryStore repositories;

    @Override
    protected Node newNode(Vertx vertx) {
        StorageLayout layout = new StorageLayout(dataDir);
        if (blobs == null) {
            blobs = new FileBlobStore(layout);
            repositories = new FileRepositoryStore(layout);
        }
        FileUploadStore uploads = new FileUploadStore(layout, blobs);
        return new Node(blobs, repositories, uploads, layout.tmp(), new UploadService(vertx, uploads, blobs, repositories));
    }

    @Override
    protected void assertNoUploadsLeft() throws Exception {
        Path uploads = new StorageLayout(dataDir).uploads();
        try (Stream<Path> left = Files.exists(uploads) ? Files.list(uploads) : Stream.empty()) {
            assertEquals(0, left.count());
        }
    }
}
