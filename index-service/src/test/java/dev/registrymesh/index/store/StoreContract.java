package dev.registrymesh.index.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.index.model.AccessToken;
import dev.registrymesh.index.model.Action;
import dev.registrymesh.index.model.Org;
import dev.registrymesh.index.model.RepositoryRecord;
import dev.registrymesh.index.model.Role;
import dev.registrymesh.index.model.Team;
import dev.registrymesh.index.model.User;
import dev.registrymesh.index.model.Visibility;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link KeyValueBackend} adapter must show, run against each of them. */
public abstract class StoreContract {
    protected abstract IndexStore store();

    /** Names unique to one test, since some adapters are shared by several tests. */
    protected static String unique(String base) {
        return base + UUID.randomUUID().toString().substring(0, 8);
    }

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void recordsRoundTripWithEveryField() {
        String name = unique("u");
        User user = new User(name, "$2a$10$hash", true, "u@example.org", T0);
        store().users().put(name, user);
        assertEquals(user, store().users().get(name).orElseThrow());

        Team team = new Team(name, "devs", Role.PUSH, "d", Set.of("a", "b+r"), Set.of("app"), T0);
        store().teams().put(team.key(), team);
        assertEquals(team, store().teams().get(team.key()).orElseThrow());

        AccessToken token = new AccessToken(unique("t"), name, "ci", Set.of(Action.PULL), List.of("x/*"), T0,
                T0.plus(1, ChronoUnit.DAYS), null, "abc");
        store().tokens().put(token.id(), token);
        assertEquals(token, store().tokens().get(token.id()).orElseThrow());

        RepositoryRecord repo = new RepositoryRecord(name, "app/x", Visibility.PUBLIC, "desc", T0, T0, 3, 1, Map.of("v1", "sha256:aa"));
        store().repositories().put(repo.fullName(), repo);
        assertEquals(repo, store().repositories().get(repo.fullName()).orElseThrow());
    }

    @Test
    void absentKeysAreEmpty() {
        assertTrue(store().users().get(unique("nobody")).isEmpty());
        assertFalse(store().users().delete(unique("nobody")));
        assertTrue(store().orgs().update(unique("nobody"), o -> o).isEmpty());
    }

    @Test
    void putIfAbsentStoresOnce() {
        String name = unique("o");
        assertTrue(store().orgs().putIfAbsent(name, new Org(name, Set.of("a"), T0)));
        assertFalse(store().orgs().putIfAbsent(name, new Org(name, Set.of("b"), T0)));
        assertEquals(Set.of("a"), store().orgs().get(name).orElseThrow().owners());
    }

    @Test
    void deleteRemoves() {
        String name = unique("o");
        store().orgs().put(name, new Org(name, Set.of("a"), T0));
        assertTrue(store().orgs().delete(name));
        assertTrue(store().orgs().get(name).isEmpty());
        assertTrue(store().orgs().all().stream().noneMatch(o -> o.name().equals(name)));
    }

    @Test
    void allListsEveryRecord() {
        String prefix = unique("all");
        for (int i = 0; i < 5; i++) {
            store().orgs().put(prefix + i, new Org(prefix + i, Set.of("x"), T0));
        }
        assertEquals(5, store().orgs().all().stream().filter(o -> o.name().startsWith(prefix)).count());
    }

    @Test
    void concurrentUpdatesLoseNothing() throws Exception {
        String key = unique("ns") + "/counted";
        store().repositories().put(key, new RepositoryRecord(key.substring(0, key.indexOf('/')), "counted", Visibility.PRIVATE, "",
                T0, null, 0, 0, Map.of()));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                done.add(pool.submit(() -> store().repositories().update(key, RepositoryRecord::pulled)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(40, store().repositories().get(key).orElseThrow().pullCount());
    }

    @Test
    void eventIdsAreSeenOnceUntilForgotten() {
        String id = unique("evt");
        assertTrue(store().firstSeen(id));
        assertFalse(store().firstSeen(id));
        store().forgetEvent(id);
        assertTrue(store().firstSeen(id));
    }

    @Test
    void aBatchOfEventIdsIsMarkedInOrder() {
        String seen = unique("evt");
        String a = unique("evt");
        String b = unique("evt");
        assertTrue(store().firstSeen(seen));
        assertEquals(java.util.List.of(true, false, true, false), store().firstSeen(java.util.List.of(a, seen, b, a)),
                "an id already seen, or seen earlier in the same batch, is a duplicate");
        assertFalse(store().firstSeen(b));
    }

    @Test
    void writesNotifyListeners() {
        AtomicInteger calls = new AtomicInteger();
        store().onChange(calls::incrementAndGet);
        String name = unique("o");
        store().orgs().put(name, new Org(name, Set.of("a"), T0));
        store().orgs().update(name, o -> o.withOwner("b", true));
        store().orgs().delete(name);
        assertTrue(calls.get() >= 3, "listener calls: " + calls.get());
    }
}
