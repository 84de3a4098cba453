package dev.registrymesh.registry.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.registry.gc.RedisClient;
import dev.registrymesh.registry.gc.WriteBarrier;
import dev.registrymesh.registry.storage.filesystem.FileBlobStore;
import dev.registrymesh.registry.storage.filesystem.FileRepositoryStore;
import dev.registrymesh.registry.storage.filesystem.StorageLayout;
import dev.registrymesh.testkit.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two registry "nodes" (each its own admission, usage ledger and Redis connection) on one storage and one real
 * redis-server, with {@link RedisUsageLedger} as the registry wires it when REDIS_URL is set: concurrent writes
 * through both never pass the namespace's quota, and what one node adds or removes the other counts at once.
 */
class RedisQuotaAcrossNodesTest {
    private static final int BLOB = 1000;

    @TempDir
    Path storage;
    private RedisServer redis;
    private FileBlobStore sharedBlobs;
    private FileRepositoryStore sharedRepositories;
    private final Map<String, NamespacePolicy> policies = new ConcurrentHashMap<>();
    private Node a;
    private Node b;

    /** One registry node's share of the quota machinery, as GcProducer wires it. */
    private final class Node implements AutoCloseable {
        final RedisClient client = new RedisClient(redis.url());
        final FileBlobStore blobs = sharedBlobs;
        final FileRepositoryStore repositories = sharedRepositories;
        final PolicySource policy = ns -> policies.getOrDefault(ns, NamespacePolicy.none(ns));
        final QuotaGuard quota = new QuotaGuard(policy, new RedisUsageLedger(client.data(), new UsageScan(blobs, repositories),
                Duration.ofSeconds(5), Duration.ofSeconds(30)));
        final Admission admission = new MeshAdmission(new WriteBarrier(), quota, policy);

        /** What an upload's final PUT does: admit, commit the bytes, link them; slow in between, to invite races. */
        Digest push(String repository, byte[] bytes) {
            Digest digest = Digest.sha256(bytes);
            admission.checkNewContent(repository);
            return admission.write(repository, List.of(digest), Map.of(digest, (long) bytes.length), () -> {
                try {
                    Thread.sleep(20);
                    blobs.put(digest, bytes);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                repositories.linkBlob(repository, digest);
                return digest;
            });
        }

        @Override
        public void close() {
            client.close();
        }
    }

    @BeforeEach
    void start() {
        // The filesystem driver caches per process (one node per directory), so the "nodes" share its instances,
        // as real nodes share an S3 bucket; each has its own admission, ledger and Redis connection.
        sharedBlobs = new FileBlobStore(new StorageLayout(storage));
        sharedRepositories = new FileRepositoryStore(new StorageLayout(storage));
        redis = RedisServer.start();
        a = new Node();
        b = new Node();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        redis.stop();
    }

    private static byte[] random(long seed) {
        byte[] bytes = new byte[BLOB];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static NamespacePolicy quota(String namespace, Long bytes, Integer repositories) {
        return new NamespacePolicy(namespace, bytes, repositories, List.of(), List.of(), Map.of());
    }

    /** Pushes {@code count} distinct blobs at once, alternating nodes; the refusals by message, the admitted digests. */
    private record Outcome(Set<Digest> admitted, List<OciException> refused) {
    }

    private Outcome pushConcurrently(int count, int seed, java.util.function.IntFunction<String> repository) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        CountDownLatch go = new CountDownLatch(1);
        Set<Digest> admitted = ConcurrentHashMap.newKeySet();
        List<OciException> refused = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> pushes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            Node node = n % 2 == 0 ? a : b;
            pushes.add(pool.submit(() -> {
                go.await();
                try {
                    admitted.add(node.push(repository.apply(n), random(seed + n)));
                } catch (OciException e) {
                    refused.add(e);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> push : pushes) {
            push.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();
        return new Outcome(admitted, refused);
    }

    @Test
    void concurrentPushesThroughTwoNodesNeverPassTheQuota() throws Exception {
        policies.put("team", quota("team", 3L * BLOB, null));
        Outcome outcome = pushConcurrently(10, 100, n -> "team/app");

        assertEquals(3, outcome.admitted().size(), "exactly three blobs' worth fit");
        assertEquals(7, outcome.refused().size());
        for (OciException refusal : outcome.refused()) {
            assertEquals(ErrorCode.DENIED, refusal.code());
            assertEquals(403, refusal.status());
            assertTrue(refusal.getMessage().matches("storage quota of namespace 'team' exceeded: quota 3000 bytes, used \\d+ bytes, "
                    + "this push needs 1000 more"), refusal.getMessage());
        }
        assertEquals(new QuotaGuard.Usage(3L * BLOB, 3, 1), a.quota.usage("team"));
        assertEquals(a.quota.usage("team"), b.quota.usage("team"), "both nodes report one usage");
        assertEquals(3L * BLOB, new UsageScan(a.blobs, a.repositories).scan("team").bytes(), "storage agrees");
        for (int n = 0; n < 10; n++) {
            Digest digest = Digest.sha256(random(100 + n));
            assertEquals(outcome.admitted().contains(digest), a.blobs.stat(digest) != null, "a refused blob's bytes are not committed");
        }
        // The same content again costs nothing, through either node.
        Digest first = outcome.admitted().iterator().next();
        assertEquals(BLOB, a.blobs.size(first));
    }

    @Test
    void whatOneNodeRemovesTheOtherCountsAtOnce() throws Exception {
        policies.put("team", quota("team", 2L * BLOB, null));
        Digest one = a.push("team/app", random(1));
        b.push("team/app", random(2));
        OciException full = assertThrows(OciException.class, () -> b.push("team/app", random(3)));
        assertTrue(full.getMessage().contains("used 2000 bytes"), full.getMessage());

        // Node A deletes a blob (as DELETE /v2/<name>/blobs/<digest> or a collection does): node B sees the room.
        assertTrue(a.repositories.unlinkBlob("team/app", one));
        a.admission.removed("team/app");
        assertEquals(BLOB, b.quota.usage("team").bytes());
        assertNotNull(b.push("team/app", random(3)));
        assertEquals(2L * BLOB, a.quota.usage("team").bytes());
    }

    @Test
    void writesNoLimitCheckedStillReachTheOtherNodesUsage() {
        assertEquals(0, b.quota.usage("free").bytes(), "computed (empty) and kept in Redis");
        a.push("free/app", random(7));
        assertEquals(new QuotaGuard.Usage(BLOB, 1, 1), b.quota.usage("free"));
        // A quota set now starts from the right number on either node.
        policies.put("free", quota("free", 1L * BLOB + 10, null));
        OciException over = assertThrows(OciException.class, () -> b.push("free/app", random(8)));
        assertEquals(ErrorCode.DENIED, over.code());
        assertNull(a.blobs.stat(Digest.sha256(random(8))));
    }

    @Test
    void theRepositoryLimitHoldsAcrossNodes() throws Exception {
        policies.put("few", quota("few", null, 2));
        Outcome outcome = pushConcurrently(6, 200, n -> "few/repo-" + n);
        assertEquals(2, outcome.admitted().size());
        outcome.refused().forEach(e -> assertTrue(e.getMessage().startsWith("repository limit of namespace 'few' reached: at most 2 "
                + "repositories, it holds 2"), e.getMessage()));
        assertEquals(2, a.quota.usage("few").repositoryCount());
        assertEquals(2, b.quota.usage("few").repositoryCount());
    }
}
