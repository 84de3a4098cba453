package dev.registrymesh.registry.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.RepositoryStore;
import dev.registrymesh.registry.storage.filesystem.FileBlobStore;
import dev.registrymesh.registry.storage.filesystem.FileRepositoryStore;
import dev.registrymesh.registry.storage.filesystem.FileUploadStore;
import dev.registrymesh.registry.storage.filesystem.StorageLayout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Upload sessions live on disk: a registry that restarts (here: new stores and a new UploadService on the
 * same data directory, no Quarkus) finds them, rebuilds their running digest and completes them.
 */
class UploadRestartTest {
    private static final String REPO = "team/app";

    @TempDir
    Path dataDir;
    @TempDir
    Path chunks;
    private Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() throws Exception {
        await(vertx.close());
    }

    /** A registry node's storage and upload service on {@link #dataDir}, as a fresh process would build them. */
    private record Node(UploadService uploads, BlobStore blobs, RepositoryStore repositories) {
    }

    private Node node() {
        StorageLayout layout = new StorageLayout(dataDir);
        BlobStore blobs = new FileBlobStore(layout);
        RepositoryStore repositories = new FileRepositoryStore(layout);
        return new Node(new UploadService(vertx, new FileUploadStore(layout, blobs), blobs, repositories), blobs, repositories);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** A request body stand-in: the bytes, read from a file as a Vert.x stream. */
    private ReadStream<Buffer> body(byte[] bytes) throws Exception {
        Path file = Files.createTempFile(chunks, "chunk", ".bin");
        Files.write(file, bytes);
        return await(vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)));
    }

    private static byte[] content(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    /**
     * A kill -9 in the middle of a monolithic upload and of a session: the next start's cleanup removes the
     * temp file nobody owns, and the session (which a client may still resume) completes.
     */
    @Test
    void startAfterACrashRemovesOrphanedTempFilesAndKeepsSessions() throws Exception {
        byte[] content = content(50_000);
        Digest digest = Digest.sha256(content);
        Node crashed = node();
        Upload upload = await(crashed.uploads().start(REPO, Digest.Algorithm.SHA256));
        await(crashed.uploads().append(upload, body(Arrays.copyOfRange(content, 0, 20_000)), 0, 20_000));
        Path halfMonolithic = crashed.blobs().newTempFile(); // a POST ?digest= cut off mid-body
        Files.write(halfMonolithic, new byte[1234]);
        Thread.sleep(20); // the next process starts strictly later

        Instant restart = Instant.now();
        Node after = node();
        StorageLayout layout = new StorageLayout(dataDir);
        UploadJanitor janitor = new UploadJanitor(new FileUploadStore(layout, new FileBlobStore(layout)), layout.tmp(),
                java.time.Duration.ofHours(24));
        UploadJanitor.Orphans removed = janitor.removeOrphans(restart);

        assertEquals(new UploadJanitor.Orphans(1, 0), removed);
        assertFalse(Files.exists(halfMonolithic));
        Upload found = await(after.uploads().find(REPO, upload.uuid()));
        assertEquals(new Committed(digest, 50_000),
                await(after.uploads().complete(found, body(Arrays.copyOfRange(content, 20_000, 50_000)), 20_000, 30_000, digest)));
    }

    @ParameterizedTest
    @EnumSource(Digest.Algorithm.class)
    void sessionSurvivesARestart(Digest.Algorithm algorithm) throws Exception {
        byte[] content = content(300_000);
        Digest digest = Digest.compute(algorithm, content);

        Node before = node();
        Upload upload = await(before.uploads().start(REPO, algorithm));
        assertEquals(100_000L, await(before.uploads().append(upload, body(Arrays.copyOfRange(content, 0, 100_000)), 0, 100_000)));
        assertEquals(200_000L, await(before.uploads().append(upload, body(Arrays.copyOfRange(content, 100_000, 200_000)), -1, -1)));

        Node after = node();
        Upload found = await(after.uploads().find(REPO, upload.uuid()));
        assertEquals(upload, found);
        assertEquals(200_000L, await(after.uploads().size(found)));
        // a chunk at the wrong offset is still refused with the real size
        ExecutionException outOfOrder = assertThrows(ExecutionException.class,
                () -> await(after.uploads().append(found, body(new byte[10]), 100, 10)));
        assertEquals(200_000L, assertInstanceOf(UploadOutOfOrderException.class, outOfOrder.getCause()).uploadedSize());

        Committed committed = await(after.uploads().complete(found, body(Arrays.copyOfRange(content, 200_000, 300_000)), 200_000, 100_000, digest));
        assertEquals(new Committed(digest, 300_000), committed);
        assertTrue(after.repositories().hasBlob(REPO, digest));
        assertEquals(300_000, after.blobs().size(digest));
        assertArrayEquals(content, Files.readAllBytes(after.blobs().localFile(digest)));
        assertUnknown(after.uploads(), upload.uuid());

        // and a third start sees the committed blob and its link
        Node later = node();
        assertTrue(later.repositories().hasBlob(REPO, digest));
        assertEquals(300_000, later.blobs().size(digest));
    }

    @Test
    void wrongDigestAfterRestartKeepsNothing() throws Exception {
        byte[] content = content(5000);
        Node before = node();
        Upload upload = await(before.uploads().start(REPO, Digest.Algorithm.SHA256));
        await(before.uploads().append(upload, body(content), 0, content.length));

        Node after = node();
        Upload found = await(after.uploads().find(REPO, upload.uuid()));
        Digest wrong = Digest.sha256(new byte[] {1, 2, 3});
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> await(after.uploads().complete(found, null, -1, -1, wrong)));
        assertEquals(ErrorCode.DIGEST_INVALID, ((OciException) failure.getCause()).code());
        assertUnknown(after.uploads(), upload.uuid());
        assertFalse(after.repositories().hasBlob(REPO, Digest.sha256(content)));
        assertEquals(-1, after.blobs().size(Digest.sha256(content)));
        assertEquals(-1, after.blobs().size(wrong));
    }

    @Test
    void sessionIsBoundToItsRepository() throws Exception {
        Node before = node();
        Upload upload = await(before.uploads().start(REPO, Digest.Algorithm.SHA256));
        Node after = node();
        assertUnknown(after.uploads(), upload.uuid(), "team/other");
        assertEquals(upload, await(after.uploads().find(REPO, upload.uuid())));
    }

    private static void assertUnknown(UploadService uploads, String uuid) {
        assertUnknown(uploads, uuid, REPO);
    }

    private static void assertUnknown(UploadService uploads, String uuid, String repository) {
        ExecutionException failure = assertThrows(ExecutionException.class, () -> await(uploads.find(repository, uuid)));
        assertEquals(ErrorCode.BLOB_UPLOAD_UNKNOWN, ((OciException) failure.getCause()).code());
    }
}
