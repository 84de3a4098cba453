package dev.registrymesh.mirror.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.common.Digest;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every {@link ClusterIndex} adapter must do; one subclass per adapter. */
abstract class ClusterIndexContract {
    static final String A = "http://127.0.0.1:1001";
    static final String B = "http://127.0.0.1:1002";

    abstract ClusterIndex index();

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    static Digest fresh() {
        return Digest.sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void holdersAreAddedAndRemoved() throws Exception {
        Digest d = fresh();
        assertEquals(Set.of(), await(index().holders(d)));
        await(index().addHolder(d, A));
        await(index().addHolder(d, B));
        await(index().addHolder(d, B));
        assertEquals(Set.of(A, B), await(index().holders(d)));
        await(index().removeHolder(d, A));
        assertEquals(Set.of(B), await(index().holders(d)));
        await(index().removeHolder(d, B));
        assertEquals(Set.of(), await(index().holders(d)));
    }

    @Test
    void addHoldersRecordsMany() throws Exception {
        Digest d1 = fresh();
        Digest d2 = fresh();
        List<Digest> many = new java.util.ArrayList<>(List.of(d1, d2));
        for (int i = 0; i < 5000; i++) {
            many.add(fresh());
        }
        await(index().addHolders(many, A));
        assertEquals(Set.of(A), await(index().holders(d1)));
        assertEquals(Set.of(A), await(index().holders(d2)));
        assertEquals(Set.of(A), await(index().holders(many.get(4999))));
    }

    @Test
    void oneOwnerAtATime() throws Exception {
        Digest d = fresh();
        assertTrue(await(index().tryLock(d, A, Duration.ofSeconds(10))));
        assertFalse(await(index().tryLock(d, B, Duration.ofSeconds(10))));
        assertTrue(await(index().tryLock(d, A, Duration.ofSeconds(10))), "the owner may take it again");
        assertEquals(Optional.of(A), await(index().lockOwner(d)));
        assertFalse(await(index().renew(d, B, Duration.ofSeconds(10))));
        await(index().unlock(d, B)); // not B's: no effect
        assertEquals(Optional.of(A), await(index().lockOwner(d)));
        assertTrue(await(index().renew(d, A, Duration.ofSeconds(10))));
        await(index().unlock(d, A));
        assertEquals(Optional.empty(), await(index().lockOwner(d)));
        assertTrue(await(index().tryLock(d, B, Duration.ofSeconds(10))));
    }

    @Test
    void anExpiredLeaseLetsAnotherNodeTakeOver() throws Exception {
        Digest d = fresh();
        assertTrue(await(index().tryLock(d, A, Duration.ofMillis(300))));
        assertFalse(await(index().tryLock(d, B, Duration.ofSeconds(10))));
        Thread.sleep(450);
        assertEquals(Optional.empty(), await(index().lockOwner(d)));
        assertTrue(await(index().tryLock(d, B, Duration.ofSeconds(10))));
        assertFalse(await(index().renew(d, A, Duration.ofSeconds(10))), "a node whose lease ran out cannot renew");
    }

    @Test
    void tagStateIsShared() throws Exception {
        String key = "registry.test/team/app:" + UUID.randomUUID();
        assertEquals(Optional.empty(), await(index().tag(key)));
        Digest d = fresh();
        await(index().putTag(key, new ClusterIndex.TagState(d, 1000L), Duration.ofMinutes(1)));
        assertEquals(Optional.of(new ClusterIndex.TagState(d, 1000L)), await(index().tag(key)));
        Digest moved = fresh();
        await(index().putTag(key, new ClusterIndex.TagState(moved, 2000L), Duration.ofMinutes(1)));
        assertEquals(Optional.of(new ClusterIndex.TagState(moved, 2000L)), await(index().tag(key)));
    }

    @Test
    void manifestsAreSharedByteForByteUntilTheyExpire() throws Exception {
        byte[] content = "{\"schemaVersion\":2,\"note\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        dev.registrymesh.mirror.cache.CachedManifest manifest = new dev.registrymesh.mirror.cache.CachedManifest(
                Digest.sha256(content), "application/vnd.oci.image.manifest.v1+json", content);
        assertEquals(Optional.empty(), await(index().manifest(manifest.digest())));
        await(index().putManifest(manifest, Duration.ofMillis(400)));
        var shared = await(index().manifest(manifest.digest())).orElseThrow();
        assertEquals(manifest.mediaType(), shared.mediaType());
        org.junit.jupiter.api.Assertions.assertArrayEquals(content, shared.content());
        Thread.sleep(600);
        assertEquals(Optional.empty(), await(index().manifest(manifest.digest())));
    }

    @Test
    void reportsHealthy() {
        assertTrue(index().healthy());
    }
}
