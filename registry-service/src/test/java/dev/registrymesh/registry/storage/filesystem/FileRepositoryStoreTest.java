package dev.registrymesh.registry.storage.filesystem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link FileRepositoryStore} writes is on disk, not only in its caches: a new instance sees it all. */
class FileRepositoryStoreTest {
    @TempDir
    Path dataDir;

    private FileRepositoryStore store() {
        return new FileRepositoryStore(new StorageLayout(dataDir));
    }

    private static Digest digest(String s) {
        return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void stateSurvivesANewInstance() {
        Digest layer = digest("layer");
        Digest manifest = digest("manifest");
        Digest referrer = digest("referrer");
        byte[] descriptor = "{\"digest\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        FileRepositoryStore first = store();
        first.linkBlob("b/app", layer);
        first.putManifest("b/app", manifest, MediaTypes.OCI_MANIFEST);
        first.putTag("b/app", "v2", manifest);
        first.putTag("b/app", "v10", manifest);
        first.putReferrer("b/app", manifest, referrer, descriptor);
        first.linkBlob("a", layer);
        first.linkBlob("b/app/blobs", layer);

        FileRepositoryStore second = store();
        assertTrue(second.exists("b/app"));
        assertFalse(second.exists("b"));
        assertTrue(second.hasBlob("b/app", layer));
        assertFalse(second.hasBlob("b/app", manifest));
        assertEquals(MediaTypes.OCI_MANIFEST, second.manifestMediaType("b/app", manifest));
        assertEquals(manifest, second.tag("b/app", "v2"));
        assertEquals(List.of("v10", "v2"), second.tags("b/app"));
        assertEquals(List.of("a", "b/app", "b/app/blobs"), second.repositories());
        assertEquals(1, second.referrers("b/app", manifest).size());
        assertArrayEquals(descriptor, second.referrers("b/app", manifest).get(0));
        // no temp files are left beside the links
        assertTrue(Files.exists(dataDir.resolve("repositories/b/app/_manifests/tags/v2")));
    }

    @Test
    void deletingAManifestRemovesItsTagsOnly() {
        Digest one = digest("one");
        Digest two = digest("two");
        FileRepositoryStore store = store();
        store.putManifest("r", one, MediaTypes.OCI_MANIFEST);
        store.putManifest("r", two, MediaTypes.DOCKER_MANIFEST_V2);
        store.putTag("r", "a", one);
        store.putTag("r", "b", one);
        store.putTag("r", "c", two);

        assertTrue(store.deleteManifest("r", one));
        assertFalse(store.deleteManifest("r", one));
        for (FileRepositoryStore view : List.of(store, store())) {
            assertNull(view.manifestMediaType("r", one));
            assertNull(view.tag("r", "a"));
            assertEquals(List.of("c"), view.tags("r"));
            assertEquals(MediaTypes.DOCKER_MANIFEST_V2, view.manifestMediaType("r", two));
        }
    }

    @Test
    void newRepositoriesAppearInTheCachedCatalog() {
        FileRepositoryStore store = store();
        assertEquals(List.of(), store.repositories());
        store.linkBlob("z", digest("1"));
        assertEquals(List.of("z"), store.repositories());
        store.putManifest("m/n", digest("2"), MediaTypes.OCI_INDEX);
        assertEquals(List.of("m/n", "z"), store.repositories());
        assertTrue(store.unlinkBlob("z", digest("1")));
        assertFalse(store.unlinkBlob("z", digest("1")));
        assertFalse(store.hasBlob("z", digest("1")));
    }
}
