package dev.registrymesh.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenVerifierTest {
    static final String ISSUER = "test-issuer";
    static final String SERVICE = "registry.test:5000";
    static final long NOW = 1_700_000_000L;
    static PublicJsonWebKey rsa;
    static PublicJsonWebKey ec;
    static PublicJsonWebKey stranger;

    static final class MutableClock extends Clock {
        Instant now = Instant.ofEpochSecond(NOW);
        public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        public Clock withZone(java.time.ZoneId zone) { return this; }
        public Instant instant() { return now; }
    }

    @BeforeAll
    static void keys() throws Exception {
        rsa = RsaJwkGenerator.generateJwk(2048);
        rsa.setKeyId(rsa.calculateBase64urlEncodedThumbprint("SHA-256"));
        ec = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        ec.setKeyId(ec.calculateBase64urlEncodedThumbprint("SHA-256"));
        stranger = RsaJwkGenerator.generateJwk(2048);
        stranger.setKeyId("stranger");
    }

    static String jwks(PublicJsonWebKey... keys) {
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    static JwtClaims claims() {
        JwtClaims c = new JwtClaims();
        c.setIssuer(ISSUER);
        c.setSubject("alice");
        c.setAudience(SERVICE);
        c.setIssuedAt(NumericDate.fromSeconds(NOW));
        c.setNotBefore(NumericDate.fromSeconds(NOW));
        c.setExpirationTime(NumericDate.fromSeconds(NOW + 300));
        c.setGeneratedJwtId();
        c.setClaim("access", AccessClaim.write(List.of(Access.repository("alice/app", "pull", "push"))));
        return c;
    }

    static String sign(PublicJsonWebKey key, String alg, JwtClaims c) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(alg);
        return jws.getCompactSerialization();
    }

    static String token(Consumer<JwtClaims> change) throws Exception {
        JwtClaims c = claims();
        change.accept(c);
        return sign(rsa, AlgorithmIdentifiers.RSA_USING_SHA256, c);
    }

    static TokenVerifier verifier(MutableClock clock, AtomicInteger fetches, String... documents) {
        List<String> docs = new ArrayList<>(List.of(documents));
        JwksCache cache = new JwksCache(() -> {
            int n = fetches.getAndIncrement();
            return docs.get(Math.min(n, docs.size() - 1));
        }, Duration.ofSeconds(10), Duration.ofMinutes(5), clock);
        return new TokenVerifier(cache, ISSUER, 30, clock);
    }

    static Stream<Arguments> forgedAndBrokenTokens() throws Exception {
        // alg none: no signature at all, claiming our key id.
        JsonWebSignature none = new JsonWebSignature();
        none.setPayload(claims().toJson());
        none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        none.setKeyIdHeaderValue(rsa.getKeyId());
        none.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        String algNone = none.getCompactSerialization();
        // HS256 keyed with the public key's bytes: the classic key-confusion forgery.
        JsonWebSignature hs = new JsonWebSignature();
        hs.setPayload(claims().toJson());
        hs.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hs.setKeyIdHeaderValue(rsa.getKeyId());
        hs.setKey(new HmacKey(rsa.getPublicKey().getEncoded()));
        hs.setDoKeyValidation(false);
        String hsForgery = hs.getCompactSerialization();
        // Right kid, wrong key.
        JwtClaims c = claims();
        JsonWebSignature wrong = new JsonWebSignature();
        wrong.setPayload(c.toJson());
        wrong.setKey(stranger.getPrivateKey());
        wrong.setKeyIdHeaderValue(rsa.getKeyId());
        wrong.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        String wrongKey = wrong.getCompactSerialization();
        String good = token(x -> { });
        String[] parts = good.split("\\.");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims().toJson().replace("alice/app", "bob/app").getBytes()) + "." + parts[2];
        return Stream.of(
                Arguments.of("alg none", algNone, TokenFailure.ALGORITHM_NOT_ALLOWED),
                Arguments.of("HS256 with the public key as secret", hsForgery, TokenFailure.ALGORITHM_NOT_ALLOWED),
                Arguments.of("signed by an unknown key with our kid", wrongKey, TokenFailure.BAD_SIGNATURE),
                Arguments.of("payload changed after signing", tampered, TokenFailure.BAD_SIGNATURE),
                Arguments.of("unknown kid", sign(stranger, AlgorithmIdentifiers.RSA_USING_SHA256, claims()), TokenFailure.UNKNOWN_KEY),
                Arguments.of("expired", token(x -> x.setExpirationTime(NumericDate.fromSeconds(NOW - 31))), TokenFailure.EXPIRED),
                Arguments.of("not yet valid", token(x -> x.setNotBefore(NumericDate.fromSeconds(NOW + 120))), TokenFailure.NOT_YET_VALID),
                Arguments.of("issued in the future", token(x -> x.setIssuedAt(NumericDate.fromSeconds(NOW + 120))), TokenFailure.ISSUED_IN_FUTURE),
                Arguments.of("other issuer", token(x -> x.setIssuer("evil")), TokenFailure.WRONG_ISSUER),
                Arguments.of("no issuer", token(x -> x.unsetClaim("iss")), TokenFailure.WRONG_ISSUER),
                Arguments.of("other audience", token(x -> x.setAudience("other.registry:5000")), TokenFailure.WRONG_AUDIENCE),
                Arguments.of("no audience", token(x -> x.unsetClaim("aud")), TokenFailure.WRONG_AUDIENCE),
                Arguments.of("no expiry", token(x -> x.unsetClaim("exp")), TokenFailure.MISSING_CLAIM),
                Arguments.of("access not a list", token(x -> x.setClaim("access", "all")), TokenFailure.MALFORMED),
                Arguments.of("garbage", "not.a.jwt", TokenFailure.MALFORMED),
                Arguments.of("empty", "", TokenFailure.MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgedAndBrokenTokens")
    void refuses(String label, String token, TokenFailure expected) {
        TokenVerifier v = verifier(new MutableClock(), new AtomicInteger(), jwks(rsa, ec));
        TokenVerification result = v.verify(token, SERVICE);
        assertFalse(result.isValid(), label);
        assertEquals(expected, result.failure(), label + ": " + result.message());
    }

    @Test
    void acceptsRs256AndEs256WithinSkew() throws Exception {
        MutableClock clock = new MutableClock();
        TokenVerifier v = verifier(clock, new AtomicInteger(), jwks(rsa, ec));
        for (PublicJsonWebKey key : List.of(rsa, ec)) {
            String alg = key == rsa ? AlgorithmIdentifiers.RSA_USING_SHA256 : AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
            TokenVerification ok = v.verify(sign(key, alg, claims()), SERVICE);
            assertTrue(ok.isValid(), ok.message());
            assertEquals("alice", ok.subject());
            assertTrue(ok.allows("repository", "alice/app", "push"));
            assertFalse(ok.allows("repository", "bob/app", "pull"));
        }
        clock.now = Instant.ofEpochSecond(NOW + 300 + 29);
        assertTrue(v.verify(token(x -> { }), SERVICE).isValid(), "within skew after exp");
        clock.now = Instant.ofEpochSecond(NOW + 300 + 31);
        assertEquals(TokenFailure.EXPIRED, v.verify(token(x -> { }), SERVICE).failure());
    }

    @Test
    void anonymousTokenHasNoSubject() throws Exception {
        TokenVerifier v = verifier(new MutableClock(), new AtomicInteger(), jwks(rsa));
        TokenVerification ok = v.verify(token(x -> x.setSubject("")), SERVICE);
        assertTrue(ok.isValid());
        assertNull(ok.subject());
    }

    @Test
    void unknownKidRefetchesOnceThenRateLimits() throws Exception {
        MutableClock clock = new MutableClock();
        AtomicInteger fetches = new AtomicInteger();
        // First document has only the EC key; the second (after rotation) also has the RSA key.
        TokenVerifier v = verifier(clock, fetches, jwks(ec), jwks(ec, rsa));
        String strangerToken = sign(stranger, AlgorithmIdentifiers.RSA_USING_SHA256, claims());
        assertEquals(TokenFailure.KEYS_UNAVAILABLE, v.verifyCached(strangerToken, SERVICE).failure(), "nothing fetched yet");
        assertTrue(v.needsFetch(v.verifyCached(strangerToken, SERVICE)));
        assertEquals(TokenFailure.UNKNOWN_KEY, v.verify(strangerToken, SERVICE).failure());
        assertEquals(1, fetches.get(), "initial fetch; the retry is rate-limited");
        for (int i = 0; i < 20; i++) {
            v.verify(strangerToken, SERVICE);
        }
        assertEquals(1, fetches.get(), "made-up kids do not cause refetches within the interval");
        assertFalse(v.needsFetch(v.verifyCached(strangerToken, SERVICE)));
        clock.now = clock.now.plusSeconds(11);
        TokenVerification rotated = v.verify(token(x -> { }), SERVICE);
        assertTrue(rotated.isValid(), "a new kid is fetched after the interval: " + rotated.message());
        assertEquals(2, fetches.get());
    }

    /**
     * Requests that arrive together at a fresh start (Jib sends its first blob HEADs in parallel) all find no keys
     * while the first one fetches them: the others must wait for that fetch, not be refused for want of keys.
     */
    @Test
    void requestsDuringTheFirstFetchWaitForIt() throws Exception {
        MutableClock clock = new MutableClock();
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch fetchStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JwksCache cache = new JwksCache(() -> {
            fetches.incrementAndGet();
            fetchStarted.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return jwks(rsa);
        }, Duration.ofSeconds(10), Duration.ofMinutes(5), clock);
        TokenVerifier v = new TokenVerifier(cache, ISSUER, 30, clock);
        String token = token(x -> { });
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<TokenVerification> first = threads.submit(() -> v.verify(token, SERVICE));
            assertTrue(fetchStarted.await(10, TimeUnit.SECONDS));

            TokenVerification cached = v.verifyCached(token, SERVICE);
            assertEquals(TokenFailure.KEYS_UNAVAILABLE, cached.failure());
            assertTrue(v.needsFetch(cached), "a fetch is in flight: wait for it off the event loop");
            Future<TokenVerification> second = threads.submit(() -> v.verify(token, SERVICE));
            release.countDown();

            assertTrue(first.get(10, TimeUnit.SECONDS).isValid());
            TokenVerification waited = second.get(10, TimeUnit.SECONDS);
            assertTrue(waited.isValid(), "the waiting request is served with the fetched keys: " + waited.message());
            assertTrue(v.needsFetch(cached), "a check made before the keys came in is worth redoing");
            assertEquals(1, fetches.get(), "one fetch for all of them");
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void failedFetchKeepsKeys() throws Exception {
        MutableClock clock = new MutableClock();
        AtomicInteger calls = new AtomicInteger();
        JwksCache cache = new JwksCache(() -> {
            if (calls.getAndIncrement() > 0) {
                throw new java.io.IOException("down");
            }
            return jwks(rsa);
        }, Duration.ofSeconds(1), Duration.ofSeconds(60), clock);
        TokenVerifier v = new TokenVerifier(cache, ISSUER, 30, clock);
        assertTrue(v.verify(token(x -> { }), SERVICE).isValid());
        clock.now = clock.now.plusSeconds(61);
        assertTrue(v.verify(token(x -> x.setExpirationTime(NumericDate.fromSeconds(NOW + 600)))
                , SERVICE).isValid(), "stale keys are used while the auth service is down");
        assertEquals("down", cache.lastError());
    }
}
