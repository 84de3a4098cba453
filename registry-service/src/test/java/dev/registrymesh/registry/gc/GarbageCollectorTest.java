package dev.registrymesh.registry.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.common.OciException;
import dev.registrymesh.registry.lifecycle.MeshAdmission;
import dev.registrymesh.registry.lifecycle.NamespacePolicy;
import dev.registrymesh.registry.lifecycle.QuotaGuard;
import dev.registrymesh.registry.lifecycle.RetentionPlanner;
import dev.registrymesh.registry.manifest.ManifestService;
import dev.registrymesh.registry.storage.filesystem.FileBlobStore;
import dev.registrymesh.registry.storage.filesystem.FileRepositoryStore;
import dev.registrymesh.registry.storage.filesystem.StorageLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mark and sweep on the filesystem driver, with quota, retention and immutable tags wired as in the registry. */
class GarbageCollectorTest {
    @TempDir
    Path dataDir;

    FileBlobStore blobs;
    FileRepositoryStore repositories;
    WriteBarrier barrier;
    Map<String, NamespacePolicy> policies;
    ManifestService manifests;
    QuotaGuard quota;

    @BeforeEach
    void setUp() {
        StorageLayout layout = new StorageLayout(dataDir);
        blobs = new FileBlobStore(layout);
        repositories = new FileRepositoryStore(layout);
        barrier = new WriteBarrier();
        policies = new HashMap<>();
        quota = new QuotaGuard(blobs, repositories, ns -> policies.getOrDefault(ns, NamespacePolicy.none(ns)));
        manifests = new ManifestService(blobs, repositories, new MeshAdmission(barrier, quota, ns -> policies.getOrDefault(ns, NamespacePolicy.none(ns))));
    }

    /** A collector whose clock is {@code ahead} in the future, with a grace period of one hour. */
    private GarbageCollector collector(Duration ahead, boolean deleteUntagged) {
        Clock clock = Clock.fixed(Instant.now().plus(ahead), ZoneOffset.UTC);
        return new GarbageCollector(blobs, repositories, barrier, Duration.ofHours(1), deleteUntagged,
                new RetentionPlanner(ns -> policies.getOrDefault(ns, NamespacePolicy.none(ns))), () -> 0, quota::removed, clock);
    }

    private Digest blob(String repository, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(bytes);
        blobs.put(digest, bytes);
        repositories.linkBlob(repository, digest);
        return digest;
    }

    private static String descriptor(String mediaType, Digest digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    /** An image of one config and the given layers; {@code subject} may be null. */
    private Digest image(String repository, String reference, Digest subject, String... layers) throws Exception {
        Digest config = blob(repository, "{\"config\":\"" + reference + "\"}");
        StringBuilder layerJson = new StringBuilder();
        for (String layer : layers) {
            Digest d = blob(repository, layer);
            layerJson.append(layerJson.length() == 0 ? "" : ",").append(descriptor(MediaTypes.OCI_LAYER, d, layer.length()));
        }
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor(MediaTypes.OCI_CONFIG, config, blobs.size(config)) + ",\"layers\":[" + layerJson + "]"
                + (subject == null ? "" : ",\"subject\":" + descriptor(MediaTypes.OCI_MANIFEST, subject, blobs.size(subject))) + "}";
        return manifests.put(repository, reference, MediaTypes.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8), List.of()).digest();
    }

    @Test
    void removesWhatNoManifestReferencesAndKeepsSharedLayers() throws Exception {
        Digest kept = image("a/app", "v1", null, "shared", "only-v1");
        Digest dropped = image("a/app", "v2", null, "shared", "only-v2");
        image("b/other", "v1", null, "only-v2"); // another namespace holds the same layer: it stays
        Digest onlyV2Config = Digest.sha256("{\"config\":\"v2\"}".getBytes(StandardCharsets.UTF_8));
        manifests.delete("a/app", dropped.toString());

        GcReport young = collector(Duration.ZERO, false).run(false);
        assertEquals(0, young.blobsRemoved(), "everything is within the grace period");

        GcReport dry = collector(Duration.ofHours(2), false).run(true);
        assertEquals(2, dry.blobsRemoved(), "the deleted manifest's bytes and its own config: " + dry.blobs());
        assertNotNull(blobs.stat(dropped), "a dry run changes nothing");

        GcReport report = collector(Duration.ofHours(2), false).run(false);
        assertEquals(dry.blobs(), report.blobs());
        assertNull(blobs.stat(dropped));
        assertNull(blobs.stat(onlyV2Config));
        assertNotNull(blobs.stat(kept));
        assertNotNull(blobs.stat(Digest.sha256("shared".getBytes(StandardCharsets.UTF_8))));
        assertNotNull(blobs.stat(Digest.sha256("only-v2".getBytes(StandardCharsets.UTF_8))));
        assertFalse(repositories.hasBlob("a/app", Digest.sha256("only-v2".getBytes(StandardCharsets.UTF_8))),
                "the link of a layer no manifest of the repository references goes");
        assertEquals(0, collector(Duration.ofHours(2), false).run(false).blobsRemoved(), "a second run finds nothing");
    }

    @Test
    void untaggedManifestsAndOrphanReferrersByChoice() throws Exception {
        Digest tagged = image("a/app", "v1", null, "l1");
        Digest signature = image("a/app", "sig-of-v1", tagged, "sig");
        repositories.deleteTag("a/app", "sig-of-v1"); // referrers are usually untagged
        Digest untagged = image("a/app", "old", null, "l2");
        repositories.deleteTag("a/app", "old");
        Digest subjectGone = image("a/app", "gone", null, "l3");
        Digest orphanSbom = image("a/app", "sbom", subjectGone, "sbom");
        repositories.deleteTag("a/app", "sbom");
        manifests.delete("a/app", subjectGone.toString());

        collector(Duration.ofHours(2), false).run(false);
        assertNotNull(repositories.manifestMediaType("a/app", untagged), "untagged manifests stay unless asked");
        assertNull(repositories.manifestMediaType("a/app", orphanSbom), "a referrer whose subject is gone is garbage");
        assertEquals(0, repositories.referrers("a/app", subjectGone).size());
        assertNotNull(repositories.manifestMediaType("a/app", signature));

        collector(Duration.ofHours(2), true).run(false);
        assertNull(repositories.manifestMediaType("a/app", untagged));
        assertNull(blobs.stat(untagged));
        assertNotNull(repositories.manifestMediaType("a/app", signature), "the referrer of a kept image stays");
        assertNotNull(repositories.manifestMediaType("a/app", tagged));
    }

    @Test
    void retentionKeepsTheNewestTagsAndImmutableOnes() throws Exception {
        policies.put("a", new NamespacePolicy("a", null, null,
                List.of(new NamespacePolicy.RetentionRule("keep2", null, "build-*", 2, null, null, null)),
                List.of(new NamespacePolicy.ImmutableRule("release", "a/app", "build-1")), Map.of()));
        for (int i = 1; i <= 4; i++) {
            image("a/app", "build-" + i, null, "layer-" + i);
            Thread.sleep(15); // distinct push times
        }
        image("a/app", "latest", null, "layer-latest");
        GcReport report = collector(Duration.ofHours(2), true).run(false);
        assertEquals(List.of("a/app:build-2"), report.tags());
        assertEquals(List.of("build-1", "build-3", "build-4", "latest"), repositories.tags("a/app"));
        assertNull(blobs.stat(Digest.sha256("layer-2".getBytes(StandardCharsets.UTF_8))));

        OciException overwrite = assertThrows(OciException.class, () -> image("a/app", "build-1", null, "other"));
        assertTrue(overwrite.getMessage().contains("immutable tag rule release 'build-1'"), overwrite.getMessage());
        assertThrows(OciException.class, () -> manifests.delete("a/app", "build-1"));
        image("a/app", "build-3", null, "other"); // not covered: may move
    }

    @Test
    void quotaCountsEachBlobOncePerNamespace() throws Exception {
        image("q/one", "v1", null, "x".repeat(1000));
        long used = quota.usage("q").bytes();
        policies.put("q", new NamespacePolicy("q", used + 300, 2, List.of(), List.of(), Map.of()));
        quota.removed("q/one");
        // Same layers in a second repository cost only the new manifest and config bytes.
        image("q/two", "v1", null, "x".repeat(1000));
        OciException over = assertThrows(OciException.class, () -> image("q/two", "v2", null, "y".repeat(1000)));
        assertTrue(over.getMessage().contains("storage quota of namespace 'q' exceeded"), over.getMessage());
        OciException repos = assertThrows(OciException.class, () -> quota.checkNewRepository("q/three"));
        assertTrue(repos.getMessage().contains("at most 2 repositories"));
        assertTrue(quota.usage("q").bytes() <= used + 300);
    }
}
