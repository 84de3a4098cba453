package dev.registrymesh.registry.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.registry.storage.filesystem.FileBlobStore;
import dev.registrymesh.registry.storage.filesystem.FileRepositoryStore;
import dev.registrymesh.registry.storage.filesystem.StorageLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listing, timing and deleting operations the garbage collection needs, on the filesystem driver. */
class GcStorageOperationsTest {
    @TempDir
    Path dataDir;

    @Test
    void blobsAreListedStatedAndDeleted() throws Exception {
        StorageLayout layout = new StorageLayout(dataDir);
        FileBlobStore blobs = new FileBlobStore(layout);
        byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        blobs.put(digest, content);
        Files.createDirectories(layout.blobs().resolve("sha256/zz"));
        Files.writeString(layout.blobs().resolve("sha256/zz/not-a-digest"), "x");

        List<BlobStore.StoredBlob> listed = new ArrayList<>();
        blobs.forEachBlob(listed::add);
        assertEquals(1, listed.size());
        assertEquals(digest, listed.get(0).digest());
        assertEquals(5, listed.get(0).size());
        assertNotNull(blobs.stat(digest).modified());

        assertTrue(blobs.delete(digest));
        assertFalse(blobs.delete(digest));
        assertNull(blobs.stat(digest));
        assertEquals(-1, blobs.size(digest));
    }

    @Test
    void repositoryEntriesCarryTheirTimes() {
        FileRepositoryStore store = new FileRepositoryStore(new StorageLayout(dataDir));
        Digest layer = Digest.sha256("layer".getBytes(StandardCharsets.UTF_8));
        Digest manifest = Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8));
        store.linkBlob("a/b", layer);
        store.putManifest("a/b", manifest, MediaTypes.OCI_MANIFEST);
        store.putTag("a/b", "v1", manifest);

        assertEquals(List.of(layer), store.blobLinks("a/b").stream().map(RepositoryStore.BlobLink::digest).toList());
        assertNotNull(store.linkedAt("a/b", layer));
        assertNull(store.linkedAt("a/b", manifest));
        RepositoryStore.ManifestRevision revision = store.manifestRevisions("a/b").get(0);
        assertEquals(manifest, revision.digest());
        assertEquals(MediaTypes.OCI_MANIFEST, revision.mediaType());
        RepositoryStore.TagEntry tag = store.tagEntries("a/b").get(0);
        assertEquals("v1", tag.tag());
        assertEquals(manifest, tag.digest());
        assertEquals(List.of(), store.blobLinks("none"));
        assertEquals(List.of(), store.manifestRevisions("none"));
    }
}
