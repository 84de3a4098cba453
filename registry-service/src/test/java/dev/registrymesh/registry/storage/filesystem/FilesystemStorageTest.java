package dev.registrymesh.registry.storage.filesystem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.registrymesh.common.Digest;
import dev.registrymesh.registry.blob.Committed;
import dev.registrymesh.registry.blob.Upload;
import dev.registrymesh.registry.blob.UploadService;
import dev.registrymesh.registry.storage.StorageContractTest;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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

    /**
     * Session files of the releases before: a Bouncy Castle digest state (base64) in the fourth line, or only
     * repository and algorithm. They load with no digest and complete, their digest rebuilt from the data.
     */
    @Test
    void sessionFilesOfEarlierReleasesGoOnWithTheirDigestRebuilt() throws Exception {
        StorageLayout layout = new StorageLayout(dataDir);
        Node node = newNode(vertx);
        byte[] content = new byte[50_000];
        new Random(41).nextBytes(content);
        byte[] state = new byte[120];
        new Random(42).nextBytes(state);
        for (Digest.Algorithm algorithm : Digest.Algorithm.values()) {
            Digest digest = Digest.compute(algorithm, content);
            for (String format : new String[] {"state", "two lines"}) {
                String uuid = UUID.randomUUID().toString();
                Files.createDirectories(layout.upload(uuid));
                Files.write(layout.upload(uuid).resolve("data"), Arrays.copyOf(content, 30_000));
                Files.writeString(layout.upload(uuid).resolve("session"), format.equals("state")
                        ? "old/repo\n" + algorithm.id() + "\n30000\n" + Base64.getEncoder().encodeToString(state) + "\n" + System.currentTimeMillis()
                        : "old/repo\n" + algorithm.id());
                assertEquals(30_000, node.uploads().load(uuid).size(), format);
                assertNull(node.uploads().load(uuid).digest(), format);
                Upload upload = await(node.service().find("old/repo", uuid));
                assertEquals(50_000L, await(node.service().append(upload, body(Arrays.copyOfRange(content, 30_000, 50_000)), 30_000, 20_000)));
                assertEquals(digest, node.uploads().load(uuid).digest(), format);
                assertEquals(new Committed(digest, 50_000), await(newNode(vertx).service().complete(upload, null, -1, -1, digest)), format);
            }
        }
    }
}
