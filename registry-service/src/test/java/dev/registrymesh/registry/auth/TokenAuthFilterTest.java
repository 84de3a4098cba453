package dev.registrymesh.registry.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.registrymesh.common.auth.Access;
import dev.registrymesh.testkit.HostileRequests;
import dev.registrymesh.testkit.HostileRequests.Case;
import dev.registrymesh.testkit.JwksTestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The registry with token enforcement on, against keys served by {@link JwksTestServer}. This branch has no
 * {@code let through} means any status but 401: the registry's own answer.
 */
@QuarkusTest
@TestProfile(AuthEnabledProfile.class)
class TokenAuthFilterTest {
    static final String REALM = JwksTestServer.REALM;
    static final String SERVICE = JwksTestServer.SERVICE;

    static PublicJsonWebKey key(String name) {
        return JwksTestServer.key(name);
    }

    static JwtClaims claims(String subject, List<Access> access) {
        return JwksTestServer.claims(subject, access);
    }

    static String sign(String keyName, String alg, JwtClaims c) {
        return JwksTestServer.sign(keyName, alg, c);
    }

    static String token(List<Access> access) {
        return token(access, c -> { });
    }

    static String token(List<Access> access, Consumer<JwtClaims> change) {
        JwtClaims c = claims("alice", access);
        change.accept(c);
        return sign("rsa", AlgorithmIdentifiers.RSA_USING_SHA256, c);
    }

    static Response send(String method, String path, String token) {
        var spec = given().redirects().follow(false);
        if (token != null) {
            spec = spec.header("Authorization", "Bearer " + token);
        }
        return spec.request(method, path);
    }

    static String challenge(String scope, String error) {
        return "Bearer realm=\"" + REALM + "\",service=\"" + SERVICE + "\""
                + (scope.isEmpty() ? "" : ",scope=\"" + scope + "\"") + (error == null ? "" : ",error=\"" + error + "\"");
    }

    static final List<Access> ALICE_PULL = List.of(Access.repository("alice/app", "pull"));
    static final List<Access> ALICE_PUSH = List.of(Access.repository("alice/app", "pull", "push"));
    static final List<Access> ALICE_ALL = List.of(Access.repository("alice/app", "*"));
    static final String MANIFEST = "/v2/alice/app/manifests/latest";
    static final String UPLOADS = "/v2/alice/app/blobs/uploads/";

    /** method, path, token access (null = no token), expected scope in the challenge ("" = none), error (null = let through). */
    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("GET", "/v2/", null, "", "-"),
                Arguments.of("GET", "/v2/", List.of(), null, null),
                Arguments.of("GET", "/v2/", ALICE_PULL, null, null),
                Arguments.of("GET", "/v2/_catalog", null, "registry:catalog:*", "-"),
                Arguments.of("GET", "/v2/_catalog", ALICE_ALL, "registry:catalog:*", "insufficient_scope"),
                Arguments.of("GET", "/v2/_catalog", List.of(Access.catalog()), null, null),
                Arguments.of("GET", MANIFEST, null, "repository:alice/app:pull", "-"),
                Arguments.of("HEAD", MANIFEST, ALICE_PULL, null, null),
                Arguments.of("GET", MANIFEST, ALICE_PULL, null, null),
                Arguments.of("GET", "/v2/bob/app/manifests/latest", ALICE_ALL, "repository:bob/app:pull", "insufficient_scope"),
                Arguments.of("PUT", MANIFEST, ALICE_PULL, "repository:alice/app:pull,push", "insufficient_scope"),
                Arguments.of("PUT", MANIFEST, ALICE_PUSH, null, null),
                Arguments.of("DELETE", MANIFEST, ALICE_PUSH, "repository:alice/app:delete", "insufficient_scope"),
                Arguments.of("DELETE", MANIFEST, List.of(Access.repository("alice/app", "delete")), null, null),
                Arguments.of("DELETE", MANIFEST, ALICE_ALL, null, null),
                Arguments.of("POST", UPLOADS, ALICE_PUSH, null, null),
                Arguments.of("PATCH", UPLOADS + "abc", ALICE_PULL, "repository:alice/app:pull,push", "insufficient_scope"),
                Arguments.of("POST", UPLOADS + "?mount=sha256:aa&from=bob/base", ALICE_PUSH,
                        "repository:alice/app:pull,push repository:bob/base:pull", "insufficient_scope"),
                Arguments.of("POST", UPLOADS + "?mount=sha256:aa&from=bob/base",
                        List.of(Access.repository("alice/app", "pull", "push"), Access.repository("bob/base", "pull")), null, null),
                Arguments.of("GET", "/v2/alice/blobs/x/manifests/latest", List.of(Access.repository("alice/blobs/x", "pull")), null, null),
                Arguments.of("GET", "/v2/alice/blobs/x/manifests/latest", List.of(Access.repository("alice", "pull")),
                        "repository:alice/blobs/x:pull", "insufficient_scope"),
                // A path with ".." is refused before the gate (guardRunsBeforeTheGate), not normalized into bob/app.
                Arguments.of("GET", "/v2/alice/app/tags/list", ALICE_PULL, null, null));
    }

    @ParameterizedTest(name = "{0} {1} with {2}")
    @MethodSource("rules")
    void enforces(String method, String path, List<Access> access, String scope, String error) {
        Response r = send(method, path, access == null ? null : token(access));
        if (scope == null) {
            r.then().statusCode(not(equalTo(401)));
            return;
        }
        r.then().statusCode(401)
                .header("WWW-Authenticate", challenge(scope, "-".equals(error) ? null : error))
                .header("Docker-Distribution-API-Version", "registry/2.0");
        if (!method.equals("HEAD")) {
            r.then().contentType("application/json").body("errors[0].code", equalTo("UNAUTHORIZED"));
        }
    }

    static Stream<Arguments> forgedTokens() throws Exception {
        JsonWebSignature none = new JsonWebSignature();
        none.setPayload(claims("alice", ALICE_ALL).toJson());
        none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        none.setKeyIdHeaderValue(key("rsa").getKeyId());
        none.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        JsonWebSignature hs = new JsonWebSignature();
        hs.setPayload(claims("alice", ALICE_ALL).toJson());
        hs.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hs.setKeyIdHeaderValue(key("rsa").getKeyId());
        hs.setKey(new HmacKey(key("rsa").getPublicKey().getEncoded()));
        hs.setDoKeyValidation(false);
        long now = System.currentTimeMillis() / 1000;
        return Stream.of(
                Arguments.of("alg none", none.getCompactSerialization()),
                Arguments.of("HS256 keyed with the public key", hs.getCompactSerialization()),
                Arguments.of("unknown signing key", sign("stranger", AlgorithmIdentifiers.RSA_USING_SHA256, claims("alice", ALICE_ALL))),
                Arguments.of("expired", token(ALICE_ALL, c -> c.setExpirationTime(NumericDate.fromSeconds(now - 120)))),
                Arguments.of("not yet valid", token(ALICE_ALL, c -> c.setNotBefore(NumericDate.fromSeconds(now + 600)))),
                Arguments.of("other audience", token(ALICE_ALL, c -> c.setAudience("other.registry:5000"))),
                Arguments.of("other issuer", token(ALICE_ALL, c -> c.setIssuer("someone-else"))),
                Arguments.of("garbage", "abc.def.ghi"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgedTokens")
    void refusesForgedAndInvalidTokens(String label, String token) {
        send("GET", MANIFEST, token).then().statusCode(401)
                .header("WWW-Authenticate", challenge("repository:alice/app:pull", "invalid_token"))
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void es256TokensAreAccepted() {
        String t = sign("ec", AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, claims("alice", ALICE_PULL));
        send("GET", MANIFEST, t).then().statusCode(not(equalTo(401)));
    }

    @Test
    void subjectIsPutIntoTheRoutingContext() {
        List<Access> access = List.of(Access.repository("mesh-test/whoami", "pull"));
        send("GET", WhoAmIRoute.PATH, token(access)).then().statusCode(200).body(equalTo("alice"));
        String anonymous = sign("rsa", AlgorithmIdentifiers.RSA_USING_SHA256, claims("", access));
        send("GET", WhoAmIRoute.PATH, anonymous).then().statusCode(200).body(equalTo("null"));
    }

    @Test
    void basicCredentialsAreAnsweredWithTheBearerChallenge() {
        given().auth().preemptive().basic("alice", "pw").get(MANIFEST).then().statusCode(401)
                .header("WWW-Authenticate", challenge("repository:alice/app:pull", null));
    }

    @Test
    void invalidNamesAreBadRequests() {
        send("GET", "/v2/Alice/app/manifests/latest", null).then().statusCode(400).body("errors[0].code", equalTo("NAME_INVALID"));
    }

    @Test
    void pathsOutsideV2AreNotGuarded() {
        given().get(dev.registrymesh.testkit.Management.url("/q/health/ready")).then().statusCode(200);
        // Health and metrics live on the management port only, never on the public one.
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }

    @Test
    void headChallengeHasNoBody() {
        send("HEAD", MANIFEST, null).then().statusCode(401).body(emptyString());
    }

    @Test
    void aRotatedKeyIsFetchedOnFirstSight() throws Exception {
        String t = sign("rotated", AlgorithmIdentifiers.RSA_USING_SHA256, claims("alice", ALICE_PULL));
        JwksTestServer.serve(key("rsa"), key("ec"), key("rotated"));
        Thread.sleep(1100); // the refetch rate limit of this profile
        // The first sight of the new kid sends verification to a worker thread with the request paused:
        // a monolithic upload proves no body byte is lost on that path.
        byte[] blob = new byte[1 << 20];
        new java.util.Random(7).nextBytes(blob);
        String digest = "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(blob));
        String pushToken = sign("rotated", AlgorithmIdentifiers.RSA_USING_SHA256, claims("alice", ALICE_PUSH));
        given().header("Authorization", "Bearer " + pushToken).contentType("application/octet-stream").body(blob)
                .post(UPLOADS + "?digest=" + digest).then().statusCode(201);
        send("GET", MANIFEST, t).then().statusCode(not(equalTo(401)));
        // The old keys stay trusted while they are published.
        byte[] got = given().header("Authorization", "Bearer " + token(ALICE_PULL)).get("/v2/alice/app/blobs/" + digest)
                .then().statusCode(200).extract().asByteArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(blob, got);
        assertEquals(401, send("GET", MANIFEST, sign("stranger", AlgorithmIdentifiers.RSA_USING_SHA256,
                claims("alice", ALICE_PULL))).statusCode());
    }

    /** With auth on, the request guard still runs first: bad forms are 400, not a 401 challenge for another name. */
    static Stream<Case> hostile() {
        return Stream.of(HostileRequests.nonNormalPaths("alice/app", "latest"),
                HostileRequests.badHosts("/v2/alice/app/manifests/latest"), HostileRequests.badTargets("alice/app")).flatMap(List::stream);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void guardRunsBeforeTheGate(Case c) {
        HostileRequests.check(RestAssured.port, c);
    }
}
