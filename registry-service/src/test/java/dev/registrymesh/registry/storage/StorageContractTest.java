package dev.registrymesh.registry.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.common.OciException;
import dev.registrymesh.registry.blob.Committed;
import dev.registrymesh.registry.blob.Upload;
import dev.registrymesh.registry.blob.UploadJanitor;
import dev.registrymesh.registry.blob.UploadService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage contract every driver passes (in the spirit of CNCF Distribution's storage/driver/testsuites):
 * each driver's test class extends this one and says how to build a registry node's stores over one shared
 * storage. Tests that involve several nodes build several: a chunk written through one must be seen by the
 * others, as a new process or another machine would see it.
 */
public abstract class StorageContractTest {
    /** A registry node's view of the shared storage. */
    public record Node(BlobStore blobs, RepositoryStore repositories, UploadStore uploads, Path localTemp, UploadService service) {
    }

    /** The stores of one more node over this test's storage (each call a fresh set, as a new process). */
    protected abstract Node newNode(Vertx vertx);

    /** Bytes that are larger than the driver's multipart part size, when it has one. */
    protected long largeBlobSize() {
        return 12L * 1024 * 1024 + 12345;
    }

    @TempDir
    protected Path scratch;
    protected Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() throws Exception {
        await(vertx.close());
    }

    protected static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    private static Digest digest(String s) {
        return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected ReadStream<Buffer> body(byte[] bytes) throws Exception {
        Path file = Files.createTempFile(scratch, "chunk", ".bin");
        Files.write(file, bytes);
        return await(vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)));
    }

    private ReadStream<Buffer> body(Path file) throws Exception {
        return await(vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)));
    }

    /** Reads a stream to its end, hashing it: the bytes never sit in memory whole. */
    private Digest hashStream(ReadStream<Buffer> stream, Digest.Algorithm algorithm, long[] count) throws Exception {
        java.security.MessageDigest digest = algorithm.newMessageDigest();
        Promise<Digest> done = Promise.promise();
        vertx.runOnContext(v -> {
            stream.handler(b -> {
                digest.update(b.getBytes(), 0, b.length());
                count[0] += b.length();
            });
            stream.exceptionHandler(done::fail);
            stream.endHandler(e -> done.complete(Digest.of(algorithm, digest.digest())));
            stream.resume();
        });
        return await(done.future());
    }

    private byte[] readRange(BlobStore blobs, Digest digest, long offset, long length) throws Exception {
        ReadStream<Buffer> stream = await(blobs.open(vertx, digest, offset, length));
        Buffer all = Buffer.buffer();
        Promise<byte[]> done = Promise.promise();
        vertx.runOnContext(v -> {
            stream.handler(all::appendBuffer);
            stream.exceptionHandler(done::fail);
            stream.endHandler(e -> done.complete(all.getBytes()));
            stream.resume();
        });
        return await(done.future());
    }

    @Test
    void blobsAreStoredOnceAndReadWholeOrInRanges() throws Exception {
        Node node = newNode(vertx);
        byte[] content = bytes(10_000, 1);
        Digest digest = Digest.sha256(content);
        assertEquals(-1, node.blobs().size(digest));
        node.blobs().put(digest, content);
        node.blobs().put(digest, content);
        Node other = newNode(vertx);
        assertEquals(10_000, other.blobs().size(digest));
        assertArrayEquals(content, other.blobs().read(digest));
        assertArrayEquals(Arrays.copyOfRange(content, 100, 1100), readRange(other.blobs(), digest, 100, 1000));
        assertArrayEquals(Arrays.copyOfRange(content, 9_999, 10_000), readRange(other.blobs(), digest, 9_999, 1));

        byte[] second = bytes(3000, 2);
        Digest secondDigest = Digest.sha256(second);
        Path temp = node.blobs().newTempFile();
        Files.write(temp, second);
        node.blobs().commit(temp, secondDigest);
        assertFalse(Files.exists(temp));
        assertArrayEquals(second, other.blobs().read(secondDigest));
    }

    /** What the garbage collection reads and removes: listings with sizes and times, seen by every node. */
    @Test
    void theCollectionsListingsTimesAndDeletesWorkOnEveryNode() throws Exception {
        Node writer = newNode(vertx);
        Node other = newNode(vertx);
        java.time.Instant before = java.time.Instant.now().minusSeconds(60);
        byte[] content = bytes(2_000, 7);
        Digest blob = Digest.sha256(content);
        writer.blobs().put(blob, content);
        String repo = "gc/app";
        Digest manifest = digest("gc-manifest");
        writer.repositories().linkBlob(repo, blob);
        writer.repositories().putManifest(repo, manifest, "application/vnd.oci.image.manifest.v1+json");
        writer.repositories().putTag(repo, "v1", manifest);

        BlobStore.StoredBlob stat = other.blobs().stat(blob);
        assertEquals(2_000, stat.size());
        assertTrue(stat.modified().isAfter(before));
        List<BlobStore.StoredBlob> listed = new java.util.ArrayList<>();
        other.blobs().forEachBlob(listed::add);
        assertTrue(listed.stream().anyMatch(b -> b.digest().equals(blob) && b.size() == 2_000), listed.toString());

        assertEquals(List.of(blob), other.repositories().blobLinks(repo).stream().map(RepositoryStore.BlobLink::digest).toList());
        assertTrue(other.repositories().linkedAt(repo, blob).isAfter(before));
        assertNull(other.repositories().linkedAt(repo, digest("not linked")));
        List<RepositoryStore.ManifestRevision> revisions = other.repositories().manifestRevisions(repo);
        assertEquals(1, revisions.size());
        assertEquals(manifest, revisions.get(0).digest());
        assertEquals("application/vnd.oci.image.manifest.v1+json", revisions.get(0).mediaType());
        List<RepositoryStore.TagEntry> tags = other.repositories().tagEntries(repo);
        assertEquals(1, tags.size());
        assertEquals("v1", tags.get(0).tag());
        assertEquals(manifest, tags.get(0).digest());
        assertEquals(List.of(), other.repositories().tagEntries("gc/none"));

        assertTrue(other.blobs().delete(blob));
        assertFalse(other.blobs().delete(blob));
        assertNull(writer.blobs().stat(blob));
        assertEquals(-1, writer.blobs().size(blob));
    }

    @Test
    void missingKeysAreAbsentNotErrors() throws Exception {
        Node node = newNode(vertx);
        Digest absent = digest("absent");
        assertEquals(-1, node.blobs().size(absent));
        assertThrows(IOException.class, () -> node.blobs().read(absent));
        assertFalse(node.repositories().exists("nobody/here"));
        assertFalse(node.repositories().hasBlob("nobody/here", absent));
        assertNull(node.repositories().manifestMediaType("nobody/here", absent));
        assertNull(node.repositories().tag("nobody/here", "latest"));
        assertEquals(List.of(), node.repositories().tags("nobody/here"));
        assertEquals(List.of(), node.repositories().referrers("nobody/here", absent));
        assertFalse(node.repositories().unlinkBlob("nobody/here", absent));
        assertFalse(node.repositories().deleteTag("nobody/here", "latest"));
        assertFalse(node.repositories().deleteManifest("nobody/here", absent));
        assertFalse(node.repositories().deleteRepository("nobody/here"));
        assertNull(node.uploads().load("00000000-0000-0000-0000-000000000000"));
    }

    @Test
    void linksManifestsTagsAndReferrersAreSeenByEveryNode() {
        Node writer = newNode(vertx);
        Digest layer = digest("layer");
        Digest manifest = digest("manifest");
        Digest other = digest("other");
        writer.repositories().linkBlob("b/app", layer);
        writer.repositories().putManifest("b/app", manifest, MediaTypes.OCI_MANIFEST);
        writer.repositories().putManifest("b/app", other, MediaTypes.DOCKER_MANIFEST_V2);
        writer.repositories().putTag("b/app", "v2", manifest);
        writer.repositories().putTag("b/app", "v10", manifest);
        writer.repositories().putTag("b/app", "latest", other);
        Digest r2 = digest("referrer-2");
        Digest r1 = digest("referrer-1");
        writer.repositories().putReferrer("b/app", manifest, r2, ("{\"d\":\"" + r2 + "\"}").getBytes(StandardCharsets.UTF_8));
        writer.repositories().putReferrer("b/app", manifest, r1, ("{\"d\":\"" + r1 + "\"}").getBytes(StandardCharsets.UTF_8));

        Node reader = newNode(vertx);
        RepositoryStore repos = reader.repositories();
        assertTrue(repos.exists("b/app"));
        assertFalse(repos.exists("b"));
        assertTrue(repos.hasBlob("b/app", layer));
        assertFalse(repos.hasBlob("b/app", manifest));
        assertEquals(MediaTypes.OCI_MANIFEST, repos.manifestMediaType("b/app", manifest));
        assertEquals(manifest, repos.tag("b/app", "v2"));
        assertEquals(List.of("latest", "v10", "v2"), repos.tags("b/app"));
        List<String> referrers = repos.referrers("b/app", manifest).stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
        List<Digest> order = new ArrayList<>(List.of(r1, r2));
        order.sort(null);
        assertEquals(order.stream().map(d -> "{\"d\":\"" + d + "\"}").toList(), referrers);

        // a tag moved through one node is served by the others at once
        writer.repositories().putTag("b/app", "v2", other);
        assertEquals(other, repos.tag("b/app", "v2"));
        assertTrue(writer.repositories().deleteManifest("b/app", manifest));
        assertNull(repos.manifestMediaType("b/app", manifest));
        assertNull(repos.tag("b/app", "v10"));
        assertEquals(List.of("latest", "v2"), repos.tags("b/app"));
        writer.repositories().deleteReferrer("b/app", manifest, r1);
        assertEquals(1, repos.referrers("b/app", manifest).size());
        assertTrue(writer.repositories().unlinkBlob("b/app", layer));
        assertFalse(repos.hasBlob("b/app", layer));
    }

    @Test
    void repositoriesAreListedInLexicalOrderAndDeletedAlone() {
        Node node = newNode(vertx);
        Digest d = digest("x");
        for (String name : List.of("zeta", "a", "b/app/blobs", "b/app", "a-b", "a/c")) {
            node.repositories().linkBlob(name, d);
        }
        node.repositories().putManifest("m/n", d, MediaTypes.OCI_INDEX);
        List<String> expected = List.of("a", "a-b", "a/c", "b/app", "b/app/blobs", "m/n", "zeta");
        assertEquals(expected, newNode(vertx).repositories().repositories());

        node.repositories().putTag("b/app", "t", d);
        assertTrue(node.repositories().deleteRepository("b/app"));
        Node reader = newNode(vertx);
        assertFalse(reader.repositories().exists("b/app"));
        assertNull(reader.repositories().tag("b/app", "t"));
        assertTrue(reader.repositories().hasBlob("b/app/blobs", d), "a nested repository stays");
        assertEquals(List.of("a", "a-b", "a/c", "b/app/blobs", "m/n", "zeta"), reader.repositories().repositories());
    }

    @Test
    void concurrentWritersOfOneTagBothSucceed() throws Exception {
        List<Node> nodes = List.of(newNode(vertx), newNode(vertx), newNode(vertx), newNode(vertx));
        List<Digest> digests = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        try {
            List<java.util.concurrent.Future<Object>> writes = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                Node node = nodes.get(i);
                Digest d = digest("tag-" + i);
                digests.add(d);
                writes.add(pool.submit(() -> {
                    node.repositories().putManifest("c/t", d, MediaTypes.OCI_MANIFEST);
                    node.repositories().putTag("c/t", "latest", d);
                    return null;
                }));
            }
            for (var write : writes) {
                write.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Digest winner = nodes.get(0).repositories().tag("c/t", "latest");
        assertTrue(digests.contains(winner));
        for (Node node : nodes) {
            assertEquals(winner, node.repositories().tag("c/t", "latest"));
            assertEquals(List.of("latest"), node.repositories().tags("c/t"));
        }
    }

    /** A blob larger than a part, in chunks of every size, each chunk through another node: streamed and verified. */
    @Test
    void largeBlobUploadedAcrossNodesInChunksAndStreamedBack() throws Exception {
        long size = largeBlobSize();
        Path file = scratch.resolve("large.bin");
        Random random = new Random(7);
        java.security.MessageDigest expected = Digest.Algorithm.SHA256.newMessageDigest();
        try (var out = Files.newOutputStream(file)) {
            byte[] block = new byte[64 * 1024];
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                expected.update(block, 0, n);
            }
        }
        Digest digest = Digest.of(Digest.Algorithm.SHA256, expected.digest());
        List<Node> nodes = List.of(newNode(vertx), newNode(vertx), newNode(vertx));
        Upload upload = await(nodes.get(0).service().start("big/blob", Digest.Algorithm.SHA256));
        // small chunks (gathered), one chunk larger than a part, then the rest in stream mode
        long[] cuts = {0, 1_000_000, 2_000_000, 3_500_000, 10_000_000, size};
        for (int i = 0; i + 1 < cuts.length; i++) {
            Node node = nodes.get(i % nodes.size());
            Upload found = await(node.service().find("big/blob", upload.uuid()));
            assertEquals(cuts[i], await(node.service().size(found)));
            Path chunk = scratch.resolve("chunk-" + i);
            try (var in = Files.newInputStream(file)) {
                in.skipNBytes(cuts[i]);
                Files.write(chunk, in.readNBytes((int) (cuts[i + 1] - cuts[i])));
            }
            boolean streamMode = i == cuts.length - 2;
            long appended = await(node.service().append(found, body(chunk), streamMode ? -1 : cuts[i],
                    streamMode ? -1 : cuts[i + 1] - cuts[i]));
            assertEquals(cuts[i + 1], appended);
            Files.delete(chunk);
        }
        Node closer = newNode(vertx);
        Upload found = await(closer.service().find("big/blob", upload.uuid()));
        assertEquals(new Committed(digest, size), await(closer.service().complete(found, null, -1, -1, digest)));

        Node reader = newNode(vertx);
        assertTrue(reader.repositories().hasBlob("big/blob", digest));
        assertEquals(size, reader.blobs().size(digest));
        long[] count = {0};
        assertEquals(digest, hashStream(await(reader.blobs().open(vertx, digest, 0, size)), Digest.Algorithm.SHA256, count));
        assertEquals(size, count[0]);
        assertNull(reader.uploads().load(upload.uuid()));
    }

    /** Appends {@code bytes} to a session through the store alone, as the upload service does after hashing them. */
    private UploadSession appendThroughStore(UploadStore store, UploadSession session, byte[] bytes, Digest soFar) throws Exception {
        UploadStore.ChunkTarget target = store.chunkTarget(session);
        if (target.append()) {
            Files.write(target.file(), bytes, java.nio.file.StandardOpenOption.APPEND);
        } else {
            Files.write(target.file(), bytes);
        }
        return store.appendChunk(session, target, bytes.length, soFar);
    }

    private static byte[] readBack(UploadStore store, UploadSession session, UploadSession[] after) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        after[0] = store.readTo(session, out);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /**
     * {@link UploadStore#readTo}: any node reads back a session's bytes so far, small chunks and parts alike, and
     * chunks appended after a read back (through the session it returned) follow them; the blob is whole.
     */
    @Test
    void sessionBytesAreReadBackOnAnyNodeAndChunksGoOnAfterThem() throws Exception {
        Node a = newNode(vertx);
        Node b = newNode(vertx);
        Digest.Algorithm sha = Digest.Algorithm.SHA256;
        UploadSession session = new UploadSession(java.util.UUID.randomUUID().toString(), "r/b", sha, 0,
                Digest.compute(sha, new byte[0]), Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), null);
        a.uploads().create(session);
        UploadSession[] after = new UploadSession[1];
        assertArrayEquals(new byte[0], readBack(b.uploads(), b.uploads().load(session.uuid()), after));

        byte[] small = bytes(300_000, 11);
        session = appendThroughStore(a.uploads(), session, small, Digest.compute(sha, small));
        assertArrayEquals(small, readBack(b.uploads(), b.uploads().load(session.uuid()), after));
        assertEquals(Digest.compute(sha, small), b.uploads().load(session.uuid()).digest());

        byte[] large = bytes(6 * 1024 * 1024 + 17, 12); // a part of its own on the s3 driver
        byte[] soFar = concat(small, large);
        session = appendThroughStore(b.uploads(), b.uploads().load(session.uuid()), large, Digest.compute(sha, soFar));
        assertArrayEquals(soFar, readBack(a.uploads(), a.uploads().load(session.uuid()), after));
        // read back twice: the second read finds the bytes where the first left them
        assertArrayEquals(soFar, readBack(b.uploads(), b.uploads().load(session.uuid()), after));

        byte[] tail = bytes(1000, 13);
        soFar = concat(soFar, tail);
        UploadSession continued = appendThroughStore(b.uploads(), after[0], tail, Digest.compute(sha, soFar));
        assertEquals(soFar.length, continued.size());
        assertArrayEquals(soFar, readBack(a.uploads(), a.uploads().load(session.uuid()), after));

        byte[] more = bytes(5 * 1024 * 1024 + 3, 14);
        soFar = concat(soFar, more);
        continued = appendThroughStore(a.uploads(), after[0], more, Digest.compute(sha, soFar));
        UploadSession stored = newNode(vertx).uploads().load(session.uuid());
        assertEquals(soFar.length, stored.size());
        assertEquals(Digest.compute(sha, soFar), stored.digest());

        Digest blob = Digest.compute(sha, soFar);
        newNode(vertx).uploads().commit(stored, blob);
        Node reader = newNode(vertx);
        assertArrayEquals(soFar, reader.blobs().read(blob));
        assertNull(reader.uploads().load(session.uuid()));
    }

    /**
     * The clients' common flow on a cluster: one streamed PATCH through one node, the closing PUT without a body
     * through another, which verifies with the digest stored with the session; and a chunked upload whose chunks
     * alternate between two nodes (each rebuilds the running digest from storage), closed by a PUT with the last
     * chunk; in sha256 and sha512.
     */
    @Test
    void streamedAndChunkedUploadsSpreadOverNodesInBothAlgorithms() throws Exception {
        Node a = newNode(vertx);
        Node b = newNode(vertx);
        for (Digest.Algorithm algorithm : Digest.Algorithm.values()) {
            byte[] content = bytes(7 * 1024 * 1024 + 99, 20 + algorithm.ordinal());
            Digest digest = Digest.compute(algorithm, content);

            Upload streamed = await(a.service().start("spread/s", algorithm));
            assertEquals((long) content.length, await(a.service().append(streamed, body(content), -1, -1)));
            assertEquals(new Committed(digest, content.length), await(b.service().complete(
                    await(b.service().find("spread/s", streamed.uuid())), null, -1, -1, digest)));
            assertArrayEquals(content, newNode(vertx).blobs().read(digest));

            int[] cuts = {0, 100_000, 200_000, 5_400_000, 5_500_000, 6_000_000, content.length};
            Upload chunked = await(b.service().start("spread/c", algorithm));
            for (int i = 0; i + 2 < cuts.length; i++) {
                Node node = i % 2 == 0 ? a : b;
                assertEquals((long) cuts[i + 1], await(node.service().append(chunked,
                        body(Arrays.copyOfRange(content, cuts[i], cuts[i + 1])), cuts[i], cuts[i + 1] - cuts[i])));
            }
            int last = cuts.length - 2;
            assertEquals(new Committed(digest, content.length), await(b.service().complete(chunked,
                    body(Arrays.copyOfRange(content, cuts[last], cuts[last + 1])), cuts[last], cuts[last + 1] - cuts[last], digest)));
            Node reader = newNode(vertx);
            assertTrue(reader.repositories().hasBlob("spread/c", digest));
            assertNull(reader.uploads().load(chunked.uuid()));
        }
    }

    /** A session stored by an older release (a Bouncy Castle state, no digest) goes on: its digest is rebuilt from its bytes. */
    @Test
    void aSessionWithoutAStoredDigestIsRebuiltFromItsBytes() throws Exception {
        Node a = newNode(vertx);
        Digest.Algorithm sha = Digest.Algorithm.SHA512;
        byte[] first = bytes(40_000, 31);
        byte[] second = bytes(20_000, 32);
        Digest digest = Digest.compute(sha, concat(first, second));
        for (boolean moreChunks : new boolean[] {true, false}) {
            UploadSession session = new UploadSession(java.util.UUID.randomUUID().toString(), "old/one", sha, 0, null,
                    Instant.now(), null);
            a.uploads().create(session);
            appendThroughStore(a.uploads(), session, moreChunks ? first : concat(first, second), null);
            assertNull(a.uploads().load(session.uuid()).digest());
            Node b = newNode(vertx);
            Upload upload = await(b.service().find("old/one", session.uuid()));
            if (moreChunks) {
                await(b.service().append(upload, body(second), 40_000, 20_000));
                assertEquals(digest, b.uploads().load(session.uuid()).digest());
            }
            assertEquals(new Committed(digest, 60_000), await(newNode(vertx).service().complete(upload, null, -1, -1, digest)));
        }
    }

    @Test
    void twoUploadsOfOneBlobAtOnceBothSucceed() throws Exception {
        byte[] content = bytes(700_000, 3);
        Digest digest = Digest.sha256(content);
        Node a = newNode(vertx);
        Node b = newNode(vertx);
        Upload ua = await(a.service().start("same/one", Digest.Algorithm.SHA256));
        Upload ub = await(b.service().start("same/two", Digest.Algorithm.SHA256));
        await(a.service().append(ua, body(Arrays.copyOfRange(content, 0, 400_000)), 0, 400_000));
        await(b.service().append(ub, body(Arrays.copyOfRange(content, 0, 400_000)), 0, 400_000));
        Future<Committed> first = a.service().complete(ua, body(Arrays.copyOfRange(content, 400_000, 700_000)), 400_000, 300_000, digest);
        Future<Committed> second = b.service().complete(ub, body(Arrays.copyOfRange(content, 400_000, 700_000)), 400_000, 300_000, digest);
        assertEquals(new Committed(digest, 700_000), await(first));
        assertEquals(new Committed(digest, 700_000), await(second));
        Node reader = newNode(vertx);
        assertTrue(reader.repositories().hasBlob("same/one", digest));
        assertTrue(reader.repositories().hasBlob("same/two", digest));
        assertArrayEquals(content, reader.blobs().read(digest));
    }

    @Test
    void wrongDigestKeepsNothingAndOtherAlgorithmsAreHashedAgain() throws Exception {
        byte[] content = bytes(5000, 4);
        Node a = newNode(vertx);
        Upload upload = await(a.service().start("w/d", Digest.Algorithm.SHA256));
        await(a.service().append(upload, body(content), 0, content.length));
        Node b = newNode(vertx);
        Digest wrong = Digest.sha256(new byte[] {1, 2, 3});
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> await(b.service().complete(upload, null, -1, -1, wrong)));
        assertEquals(ErrorCode.DIGEST_INVALID, assertInstanceOf(OciException.class, failure.getCause()).code());
        assertNull(b.uploads().load(upload.uuid()));
        assertEquals(-1, b.blobs().size(Digest.sha256(content)));

        Upload again = await(a.service().start("w/d", Digest.Algorithm.SHA256));
        await(a.service().append(again, body(content), 0, content.length));
        Digest sha512 = Digest.compute(Digest.Algorithm.SHA512, content);
        assertEquals(new Committed(sha512, 5000), await(b.service().complete(again, null, -1, -1, sha512)));
        assertArrayEquals(content, newNode(vertx).blobs().read(sha512));
    }

    @Test
    void outOfOrderAndShortChunksLeaveTheSessionAsItWas() throws Exception {
        Node a = newNode(vertx);
        Upload upload = await(a.service().start("o/o", Digest.Algorithm.SHA512));
        await(a.service().append(upload, body(bytes(100, 5)), 0, 100));
        Node b = newNode(vertx);
        ExecutionException outOfOrder = assertThrows(ExecutionException.class,
                () -> await(b.service().append(upload, body(new byte[10]), 50, 10)));
        assertEquals(ErrorCode.RANGE_INVALID, ((OciException) outOfOrder.getCause()).code());
        ExecutionException shortChunk = assertThrows(ExecutionException.class,
                () -> await(b.service().append(upload, body(new byte[10]), 100, 20)));
        assertEquals(ErrorCode.SIZE_INVALID, ((OciException) shortChunk.getCause()).code());
        assertEquals(100L, await(newNode(vertx).service().size(upload)));
    }

    @Test
    void abandonedSessionsArePurged() throws Exception {
        Node node = newNode(vertx);
        Upload small = await(node.service().start("p/p", Digest.Algorithm.SHA256));
        await(node.service().append(small, body(bytes(1000, 6)), 0, 1000));
        Upload large = await(node.service().start("p/p", Digest.Algorithm.SHA256));
        byte[] part = bytes(6 * 1024 * 1024, 7);
        await(node.service().append(large, body(part), 0, part.length));
        Upload fresh = await(node.service().start("p/p", Digest.Algorithm.SHA256));

        assertEquals(0, new UploadJanitor(node.uploads(), node.localTemp(), Duration.ofHours(1)).purge());
        // A cutoff in the future makes every session stale.
        assertTrue(node.uploads().purge(Instant.now().plusSeconds(3600)) >= 3);
        Node later = newNode(vertx);
        for (Upload gone : List.of(small, large, fresh)) {
            assertNull(later.uploads().load(gone.uuid()));
        }
        assertNoUploadsLeft();
    }

    /** What a driver checks after a purge: nothing of the sessions is left (objects, multipart uploads). */
    protected abstract void assertNoUploadsLeft() throws Exception;

    protected static <T> T call(Callable<T> c) throws Exception {
        return c.call();
    }
}
