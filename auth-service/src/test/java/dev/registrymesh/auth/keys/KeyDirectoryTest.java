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
        Path file = Files.list(dir.resolve("keys")).findFirst().orElseThrow();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(file.getFileName().toString().endsWith("-" + first.signing().kid() + ".pem"));
        // The token signed with it verifies with the published JWKS.
        String token = new TokenIssuer(second, "iss").accessToken("alice", "svc", List.of(Access.repository("a", "pull")),
                Instant.now(), Duration.ofMinutes(5));
        TokenVerification v = new TokenVerifier(new JwksCache(second::jwks, Duration.ZERO, Duration.ofHours(1), Clock.systemUTC()), "iss")
                .verify(token, "svc");
        assertTrue(v.isValid(), v.message());
    }

    @Test
    void rotationKeepsOldKeysPublishedAndNewestSigns() throws Exception {
        KeyDirectory keys = new KeyDirectory(dir);
        KeyRing before = keys.loadOrCreate("RS256", false);
        String oldToken = new TokenIssuer(before, "iss").accessToken("alice", "svc", List.of(), Instant.now(), Duration.ofMinutes(5));
        Thread.sleep(5);
        KeyRing after = keys.loadOrCreate("ES256", true);
        assertEquals(2, after.keys().size());
        assertEquals("ES256", after.signing().algorithm());
        assertEquals(before.signing().kid(), after.keys().get(1).kid());
        assertEquals(2, Pem.decode(after.certificatesPem()).size());
        TokenVerifier verifier = new TokenVerifier(new JwksCache(after::jwks, Duration.ZERO, Duration.ofHours(1), Clock.systemUTC()), "iss");
        assertTrue(verifier.verify(oldToken, "svc").isValid(), "tokens of the previous key stay valid");
        String newToken = new TokenIssuer(after, "iss").accessToken("alice", "svc", List.of(), Instant.now(), Duration.ofMinutes(5));
        assertTrue(verifier.verify(newToken, "svc").isValid());
    }
}
