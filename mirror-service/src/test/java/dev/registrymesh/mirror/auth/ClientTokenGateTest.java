package dev.registrymesh.mirror.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
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
import java.util.stream.Stream;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A private mirror: the token rules on /v2. "Let through" shows as the mirror's own answer (the upstream
 * named by {@code ns=unknown.example} is not configured, so a request that passes the gate gets 404).
 */
@QuarkusTest
@TestProfile(ClientAuthProfiles.Private.class)
class ClientTokenGateTest {
    static final String MANIFEST = "/v2/team/app/manifests/v1?ns=unknown.example";
    static final String PULL_SCOPE = "repository:team/app:pull";

    static String signedBy(String key, JwtClaims claims) {
        return JwksTestServer.sign(key, AlgorithmIdentifiers.RSA_USING_SHA256, claims);
    }

    static JwtClaims forAudience(String audience) {
        JwtClaims c = JwksTestServer.claims("alice", List.of());
        c.setAudience(audience);
        return c;
    }

    static String challenge(String scope, String error) {
        return "Bearer realm=\"" + JwksTestServer.REALM + "\",service=\"" + JwksTestServer.SERVICE + "\""
                + (scope.isEmpty() ? "" : ",scope=\"" + scope + "\"") + (error == null ? "" : ",error=\"" + error + "\"");
    }

    /** path, token (null = none), expected status, expected challenge (null = none). */
    static Stream<Arguments> rules() {
        String alice = JwksTestServer.token("alice", List.of());
        String anonymous = JwksTestServer.token("", List.of());
        String anonymousWithPull = JwksTestServer.token("", List.of(Access.repository("team/app", "pull")));
        return Stream.of(
                Arguments.of("/v2/", null, 401, challenge("", null)),
                Arguments.of("/v2/", alice, 200, null),
                Arguments.of(MANIFEST, null, 401, challenge(PULL_SCOPE, null)),
                Arguments.of(MANIFEST, alice, 404, null),
                Arguments.of(MANIFEST, anonymous, 401, challenge(PULL_SCOPE, "insufficient_scope")),
                // The access claim reflects the registry's visibility, never the mirror's rule: an anonymous token is
                // refused whatever it carries.
                Arguments.of(MANIFEST, anonymousWithPull, 401, challenge(PULL_SCOPE, "insufficient_scope")),
                Arguments.of(MANIFEST, signedBy("stranger", JwksTestServer.claims("alice", List.of())), 401,
                        challenge(PULL_SCOPE, "invalid_token")),
                Arguments.of(MANIFEST, signedBy("rsa", forAudience("other-service")), 401, challenge(PULL_SCOPE, "invalid_token")),
                Arguments.of(MANIFEST, "not-a-jwt", 401, challenge(PULL_SCOPE, "invalid_token")),
                Arguments.of("/v2/ghcr.io/org/app/blobs/sha256:" + "a".repeat(64), null, 401,
                        challenge("repository:ghcr.io/org/app:pull", null)),
                Arguments.of("/v2/team/app/tags/list", null, 401, challenge(PULL_SCOPE, null)),
                // Writes are refused as read-only, but only after the caller is known.
                Arguments.of("/v2/team/app/blobs/uploads/", null, 401, challenge(PULL_SCOPE, null)),
                // Not /v2: the peer endpoint has its own guard; health is on the management port, not here.
                Arguments.of("/internal/v1/blobs/sha256:" + "b".repeat(64), null, 404, null),
                Arguments.of("/q/health/ready", null, 404, null));
    }

    @ParameterizedTest
    @MethodSource("rules")
    void tokenRules(String path, String token, int status, String challenge) {
        var spec = given().redirects().follow(false);
        if (token != null) {
            spec = spec.header("Authorization", "Bearer " + token);
        }
        Response response = spec.get(path);
        assertEquals(status, response.statusCode(), response.asString());
        assertEquals(challenge, response.header("WWW-Authenticate"));
        if (status == 401) {
            assertEquals("UNAUTHORIZED", response.jsonPath().getString("errors[0].code"));
        }
    }

    @Test
    void headChallengeHasNoBody() {
        given().head(MANIFEST).then().statusCode(401).header("WWW-Authenticate", challenge(PULL_SCOPE, null)).body(emptyString());
    }

    /** With auth on, the request guard still runs first: bad forms are 400, not a 401 challenge for another name. */
    static Stream<Case> hostile() {
        return Stream.of(HostileRequests.nonNormalPaths("team/app", "latest"),
                HostileRequests.badHosts("/v2/team/app/manifests/latest"), HostileRequests.badTargets("team/app")).flatMap(List::stream);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void guardRunsBeforeTheGate(Case c) {
        HostileRequests.check(RestAssured.port, c);
    }
}
