package dev.registrymesh.index.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.index.model.Org;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the embedded adapter, plus what only it must do: survive restarts, torn writes and compaction. */
class EmbeddedStoreTest extends StoreContract {
    @TempDir
    Path dir;
    IndexStore store;

    @BeforeEach
    void open() {
        store = new IndexStore(new EmbeddedBackend(dir, true));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    protected IndexStore store() {
        return store;
    }

    private IndexStore reopen() {
        store.close();
        store = new IndexStore(new EmbeddedBackend(dir, true));
        return store;
    }

    @Test
    void survivesRestart() {
        store.orgs().put("acme", new Org("acme", Set.of("a"), T0));
        store.orgs().put("gone", new Org("gone", Set.of("a"), T0));
        store.orgs().update("acme", o -> o.withOwner("b", true));
        store.orgs().delete("gone");
        assertTrue(store.firstSeen("e1"));

        IndexStore again = reopen();
        assertEquals(Set.of("a", "b"), again.orgs().get("acme").orElseThrow().owners());
        assertTrue(again.orgs().get("gone").isEmpty());
        assertFalse(again.firstSeen("e1"));
    }

    @Test
    void tornLastLineIsSkipped() throws IOException {
        store.orgs().put("acme", new Org("acme", Set.of("a"), T0));
        store.close();
        Files.writeString(dir.resolve("journal.log"), "{\"t\":\"orgs\",\"k\":\"half", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        store = new IndexStore(new EmbeddedBackend(dir, true));
        assertTrue(store.orgs().get("acme").isPresent());
    }

    @Test
    void compactionKeepsEverythingAndEmptiesTheJournal() throws IOException {
        EmbeddedBackend backend = new EmbeddedBackend(dir.resolve("c"), false);
        IndexStore s = new IndexStore(backend);
        s.orgs().put("acme", new Org("acme", Set.of("a"), T0));
        s.orgs().put("gone", new Org("gone", Set.of("a"), T0));
        s.orgs().delete("gone");
        backend.compact();
        assertEquals(0, Files.size(dir.resolve("c/journal.log")));
        s.orgs().put("late", new Org("late", Set.of("a"), T0));
        s.close();

        IndexStore again = new IndexStore(new EmbeddedBackend(dir.resolve("c"), false));
        assertTrue(again.orgs().get("acme").isPresent());
        assertTrue(again.orgs().get("late").isPresent());
        assertTrue(again.orgs().get("gone").isEmpty());
        again.close();
    }
}
