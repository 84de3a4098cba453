package dev.registrymesh.auth.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.auth.token.TokenIssuer;
import dev.registrymesh.common.auth.Access;
import dev.registrymesh.common.auth.JwksCache;
import dev.registrymesh.common.auth.TokenVerification;
import dev.registrymesh.common.auth.TokenVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyDirectoryTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256"})
    void firstStartGeneratesAKeyThatLaterStartsReuse(String alg) throws Exception {
        KeyDirectory keys = new KeyDirectory(dir.resolve("keys"));
        KeyRing first = keys.loadOrCreate(alg, false);
        KeyRing second = keys.loadOrCreate(alg, false);
        assertEquals(1, second.keys().size());
        assertEquals(first.signing().kid(), second.signing().kid());
        assertEquals(alg, second.signing().algorithm());
        Path file = Files.list(dir.resolve("keys")).filter(p -> p.toString().endsWith(".pem")).findFirst().orElseThrow();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(file.getFileName().toString().endsWith("-" + first.signing().kid() + ".pem"));
        // The token signed with it verifies with the published JWKS.
        String token = new TokenIssuer(() -> second, "iss").accessToken("alice", "svc", List.of(Access.repository("a", "pull")),
                Instant.now(), Duration.ofMinutes(5));
        TokenVerification v = new TokenVerifier(new JwksCache(second::jwks, Duration.ZERO, Duration.ofHours(1), Clock.systemUTC()), "iss")
                .verify(token, "svc");
        assertTrue(v.isValid(), v.message());
    }

    @Test
    void rotationKeepsOldKeysPublishedAndNewestSigns() throws Exception {
        KeyDirectory keys = new KeyDirectory(dir);
        KeyRing before = keys.loadOrCreate("RS256", false);
        String oldToken = new TokenIssuer(() -> before, "iss").accessToken("alice", "svc", List.of(), Instant.now(), Duration.ofMinutes(5));
        Thread.sleep(5);
        KeyRing after = keys.loadOrCreate("ES256", true);
        assertEquals(2, after.keys().size());
        assertEquals("ES256", after.signing().algorithm());
        assertEquals(before.signing().kid(), after.keys().get(1).kid());
        assertEquals(2, Pem.decode(after.certificatesPem()).size());
        TokenVerifier verifier = new TokenVerifier(new JwksCache(after::jwks, Duration.ZERO, Duration.ofHours(1), Clock.systemUTC()), "iss");
        assertTrue(verifier.verify(oldToken, "svc").isValid(), "tokens of the previous key stay valid");
        String newToken = new TokenIssuer(() -> after, "iss").accessToken("alice", "svc", List.of(), Instant.now(), Duration.ofMinutes(5));
        assertTrue(verifier.verify(newToken, "svc").isValid());
    }

    /** Several nodes on one shared directory: one key at first start, and a rotation signs only once all know it. */
    @Test
    void nodesSharingADirectoryAgreeOnKeys() throws Exception {
        Path shared = dir.resolve("shared");
        List<KeyRing> firstStarts = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        List<Thread> starts = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread start = new Thread(() -> {
                try {
                    firstStarts.add(new KeyDirectory(shared).loadOrCreate("ES256", false));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            start.start();
            starts.add(start);
        }
        for (Thread t : starts) {
            t.join();
        }
        assertEquals(4, firstStarts.size());
        assertEquals(1, firstStarts.stream().map(r -> r.signing().kid()).distinct().count(), "one key for every node");

        MutableClock clock = new MutableClock(Instant.now());
        LiveKeys nodeA = new LiveKeys(new KeyDirectory(shared), Duration.ofSeconds(60), clock);
        LiveKeys nodeB = new LiveKeys(new KeyDirectory(shared), Duration.ofSeconds(60), clock);
        String first = nodeA.ring().signing().kid();
        clock.now = clock.now.plusSeconds(3600);
        SigningKey rotated = new KeyDirectory(shared).generate("RS256", clock.now);
        nodeA.refresh();
        nodeB.refresh();
        for (LiveKeys node : List.of(nodeA, nodeB)) {
            assertEquals(2, node.ring().keys().size(), "published at once");
            assertEquals(first, node.ring().signing().kid(), "but not signing before its activation");
        }
        clock.now = clock.now.plusSeconds(61);
        nodeA.refresh();
        nodeB.refresh();
        assertEquals(rotated.kid(), nodeA.ring().signing().kid());
        assertEquals(rotated.kid(), nodeB.ring().signing().kid());
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
