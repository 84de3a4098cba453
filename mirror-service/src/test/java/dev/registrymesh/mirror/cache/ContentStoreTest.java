package dev.registrymesh.mirror.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.common.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
    @TempDir
    Path dir;

    private Digest put(ContentStore store, String text) throws IOException {
        byte[] bytes = text.repeat(100).getBytes();
        Digest digest = Digest.sha256(bytes);
        Path temp = store.newTempFile();
        Files.write(temp, bytes);
        store.commit(temp, digest);
        return digest;
    }

    @Test
    void evictsLeastRecentlyUsedButNeverPinnedOrBusy() throws Exception {
        ContentStore store = new ContentStore(dir);
        Digest a = put(store, "a");
        Thread.sleep(5);
        Digest b = put(store, "b");
        Thread.sleep(5);
        Digest c = put(store, "c");
        Thread.sleep(5);
        Digest d = put(store, "d");
        Thread.sleep(5);
        store.use(a); // a is now the most recent
        store.pin(b);
        assertEquals(400, store.totalBytes());

        List<Digest> removed = store.evict(200, digest -> digest.equals(c));
        // Oldest first: b is pinned and c busy, so d goes, then a (the only ones left).
        assertEquals(List.of(d, a), removed);
        assertEquals(200, store.totalBytes());
        assertFalse(Files.exists(store.path(a)));
        assertTrue(store.has(b) && store.has(c));

        // A restart sees the same content and pins.
        ContentStore again = new ContentStore(dir);
        assertEquals(Set.of(b, c), again.digests());
        assertTrue(again.isPinned(b));
        assertEquals(List.of(c), again.evict(0, digest -> false));
    }

    @Test
    void evictionTellsTheClusterIndex() throws Exception {
        ContentStore store = new ContentStore(dir);
        var index = new dev.registrymesh.mirror.cluster.EmbeddedClusterIndex();
        Digest a = put(store, "a");
        Thread.sleep(5);
        Digest b = put(store, "b");
        index.addHolders(List.of(a, b), "http://me").result();
        index.addHolder(a, "http://peer").result();
        assertEquals(List.of(a), Evictor.evict(store, index, "http://me", 100, digest -> false));
        assertEquals(Set.of("http://peer"), index.holders(a).result(), "peers are no longer sent here for a");
        assertEquals(Set.of("http://me"), index.holders(b).result());
    }

    @Test
    void aRestartDropsUnfinishedFills() throws Exception {
        ContentStore store = new ContentStore(dir);
        Path temp = store.newTempFile();
        Files.writeString(temp, "half");
        new ContentStore(dir);
        assertFalse(Files.exists(temp));
    }
}
