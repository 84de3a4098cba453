package dev.registrymesh.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.auth.keys.Pem;
import dev.registrymesh.common.auth.Access;
import dev.registrymesh.common.auth.JwksCache;
import dev.registrymesh.common.auth.Scopes;
import dev.registrymesh.common.auth.TokenFailure;
import dev.registrymesh.common.auth.TokenVerification;
import dev.registrymesh.common.auth.TokenVerifier;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@QuarkusTestResource(IndexContractResource.class)
class TokenEndpointTest {
    static final String SERVICE = "registry.test:5000";
    static final AtomicInteger ADDRESSES = new AtomicInteger(1);

    @TestHTTPResource("/.well-known/jwks.json")
    URL jwksUrl;

    TokenVerification verify(String token, String audience) {
        return new TokenVerifier(JwksCache.fromUrl(jwksUrl.toString()), "test-issuer").verify(token, audience);
    }

    /** A fresh client address per call site, so the per-address throttle of one test never meets another. */
    static RequestSpecification client() {
        return given().header("X-Forwarded-For", "10.0.0." + ADDRESSES.getAndIncrement());
    }

    static Response get(String user, String password, String... scopes) {
        RequestSpecification spec = client().queryParam("service", SERVICE);
        if (user != null) {
            spec = spec.auth().preemptive().basic(user, password);
        }
        for (String s : scopes) {
            spec = spec.queryParam("scope", s);
        }
        return spec.get("/token");
    }

    /** user, password, requested scopes (space-separated), expected granted scopes ("" = none). */
    @ParameterizedTest(name = "{0} asks {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "-|-|repository:library/public:pull|repository:library/public:pull",
            "-|-|repository:library/public:pull,push|repository:library/public:pull",
            "-|-|repository:alice/app:pull|''",
            "alice|alice-secret|repository:alice/app:pull,push|repository:alice/app:pull,push",
            "alice|alice-secret|repository:alice/app:*|repository:alice/app:*",
            "alice|alice-secret|repository:alice/app:pull repository:bob/app:pull,push registry:catalog:*|repository:alice/app:pull",
            "alice|alice-secret|repository:bob/app:push|''",
            "alice|alice-pat-pull|repository:alice/app:pull,push,delete|repository:alice/app:pull",
            "acme+ci|robot-secret|repository:acme/app:pull,push,delete|repository:acme/app:pull,push",
            "acme+ci|robot-secret|repository:alice/app:pull|''",
            "admin|admin-secret|registry:catalog:*|registry:catalog:*",
    })
    void grantsTheIntersectionOfAskedAndAllowed(String user, String password, String asked, String expected) {
        Response r = get(user, password, asked.split(" "));
        r.then().statusCode(200).header("Cache-Control", "no-store")
                .body("expires_in", equalTo(60)).body("issued_at", notNullValue()).body("refresh_token", nullValue());
        String token = r.path("token");
        assertEquals(token, r.path("access_token"));
        TokenVerification v = verify(token, SERVICE);
        assertTrue(v.isValid(), String.valueOf(v.message()));
        assertEquals(user, v.subject());
        assertEquals(expected, Scopes.join(v.access()));
    }

    @Test
    void tokenHeaderCarriesThumbprintKidAndCertificateChain() throws Exception {
        String token = get("alice", "alice-secret", "repository:alice/app:pull").path("token");
        JsonWebSignature jws = (JsonWebSignature) JsonWebStructure.fromCompactSerialization(token);
        String jwksJson = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        PublicJsonWebKey key = (PublicJsonWebKey) new JsonWebKeySet(jwksJson).getJsonWebKeys().get(0);
        assertEquals(key.calculateBase64urlEncodedThumbprint("SHA-256"), jws.getKeyIdHeaderValue());
        assertEquals("RS256", jws.getAlgorithmHeaderValue());
        X509Certificate leaf = jws.getLeafCertificateHeaderValue();
        assertArrayEquals(key.getPublicKey().getEncoded(), leaf.getPublicKey().getEncoded());
        leaf.verify(leaf.getPublicKey()); // self-signed
        String pem = given().get("/.well-known/certs.pem").then().statusCode(200)
                .contentType("application/x-pem-file").extract().asString();
        X509Certificate bundled = Pem.certificate(Pem.decode(pem).get(0).der());
        assertEquals(leaf, bundled);
        Map<String, Object> claims = verify(token, SERVICE).claims();
        for (String claim : List.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "access")) {
            assertTrue(claims.containsKey(claim), claim);
        }
    }

    @Test
    void anonymousTokenHasEmptySubjectAndNoRefreshToken() {
        Response r = client().queryParam("service", SERVICE).queryParam("scope", "repository:library/public:pull")
                .queryParam("offline_token", "true").get("/token");
        r.then().statusCode(200).body("refresh_token", nullValue());
        TokenVerification v = verify(r.path("token"), SERVICE);
        assertNull(v.subject());
        assertEquals("", v.claims().get("sub"));
    }

    @Test
    void decisionsAreCountedForDashboards() {
        double issued = counter("auth_tokens_issued_total{grant=\"anonymous\",scope=\"all\"}");
        double refused = counter("auth_tokens_refused_total{reason=\"unauthorized\"}");
        client().queryParam("service", SERVICE).queryParam("scope", "repository:library/public:pull").get("/token")
                .then().statusCode(200);
        get("alice", "wrong", "repository:alice/app:pull").then().statusCode(401);
        assertEquals(issued + 1, counter("auth_tokens_issued_total{grant=\"anonymous\",scope=\"all\"}"));
        assertEquals(refused + 1, counter("auth_tokens_refused_total{reason=\"unauthorized\"}"));
    }

    private static double counter(String series) {
        return given().get(dev.registrymesh.testkit.Management.url("/q/metrics")).then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElse(0);
    }

    @ParameterizedTest
    @CsvSource({"alice,wrong", "alice,''", "nobody,alice-secret", "ALICE,alice-secret"})
    void badCredentialsAre401(String user, String password) {
        get(user, password, "repository:alice/app:pull").then().statusCode(401)
                .header("WWW-Authenticate", "Basic realm=\"registry-mesh\"").body("errors[0].code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void revokedCredentialIs401() {
        get("alice", "alice-pat-revoked", "repository:alice/app:pull").then().statusCode(401);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"repository:alice/app", "repository:alice/App:pull", "repository:a:pull;x", "nonsense",
            "repository:localhost:5000/alice/app:pull", "repository:[::1]:5000/alice/app:pull"})
    void malformedScopesAre400(String scope) {
        get("alice", "alice-secret", scope).then().statusCode(400).body("errors[0].code", equalTo("INVALID_REQUEST"));
    }

    @Test
    void serviceIsRequired() {
        client().get("/token").then().statusCode(400);
    }

    @Test
    void offlineGetReturnsARefreshTokenThatPostAcceptsWithoutRotation() {
        String refresh = client().auth().preemptive().basic("alice", "alice-secret").queryParam("service", SERVICE)
                .queryParam("offline_token", "true").queryParam("client_id", "docker").get("/token")
                .then().statusCode(200).extract().path("refresh_token");
        assertTrue(refresh != null && !refresh.isEmpty());
        // A refresh token is not an access token: registries must not accept it.
        assertEquals(TokenFailure.WRONG_AUDIENCE, verify(refresh, SERVICE).failure());
        Response r = client().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", refresh)
                .formParam("service", SERVICE).formParam("client_id", "docker")
                .formParam("scope", "repository:alice/app:pull,push repository:bob/app:pull").post("/token");
        r.then().statusCode(200).body("refresh_token", equalTo(refresh))
                .body("scope", equalTo("repository:alice/app:pull,push")).body("expires_in", equalTo(60));
        TokenVerification v = verify(r.path("access_token"), SERVICE);
        assertEquals("alice", v.subject());
        assertEquals("repository:alice/app:pull,push", Scopes.join(v.access()));
    }

    @Test
    void refreshTokensEndWhenTheirSignInEnds() throws Exception {
        String refresh = client().auth().preemptive().basic("bob", "bob-secret").queryParam("service", SERVICE)
                .queryParam("offline_token", "true").get("/token").then().statusCode(200).extract().path("refresh_token");
        client().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refresh).formParam("service", SERVICE).post("/token").then().statusCode(200);
        String index = ConfigProvider.getConfig().getValue("mesh.index-url", String.class);
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(index + "/test/end-sign-ins?subject=bob")).build(),
                HttpResponse.BodyHandlers.discarding());
        // Checked at once (no decision cache for refresh tokens), with scopes or without.
        client().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refresh).formParam("service", SERVICE).post("/token").then().statusCode(401);
        client().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refresh).formParam("service", SERVICE)
                .formParam("scope", "repository:bob/app:pull").post("/token").then().statusCode(401);
    }

    @Test
    void refreshTokenOfARevokedCredentialStopsWorking() {
        String refresh = client().contentType("application/x-www-form-urlencoded").formParam("grant_type", "password")
                .formParam("username", "alice").formParam("password", "alice-pat-revoked").formParam("service", SERVICE)
                .formParam("access_type", "offline").post("/token").then().statusCode(200).extract().path("refresh_token");
        client().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refresh).formParam("service", SERVICE)
                .formParam("scope", "repository:alice/app:pull").post("/token").then().statusCode(401);
    }

    @Test
    void postPasswordGrant() {
        Response r = client().contentType("application/x-www-form-urlencoded").formParam("grant_type", "password")
                .formParam("username", "acme+ci").formParam("password", "robot-secret").formParam("service", SERVICE)
                .formParam("client_id", "skopeo").formParam("access_type", "offline")
                .formParam("scope", "repository:acme/app:push repository:acme/app:pull").post("/token");
        r.then().statusCode(200).body("scope", equalTo("repository:acme/app:push,pull")).body("refresh_token", notNullValue());
        assertEquals("acme+ci", verify(r.path("access_token"), SERVICE).subject());
        client().contentType("application/x-www-form-urlencoded").formParam("grant_type", "password")
                .formParam("username", "acme+ci").formParam("password", "nope").formParam("service", SERVICE)
                .post("/token").then().statusCode(401);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "grant_type=client_credentials&service=s",
            "grant_type=refresh_token&service=s",
            "grant_type=refresh_token&service=s&refresh_token=garbage",
            "grant_type=password&service=s&password=x",
    })
    void badPostsAreRefused(String form) {
        int status = client().contentType("application/x-www-form-urlencoded").body(form).post("/token").statusCode();
        assertTrue(status == 400 || status == 401, "status " + status);
    }

    @Test
    void anAccessTokenIsNotARefreshToken() {
        String access = get("alice", "alice-secret", "repository:alice/app:pull").path("token");
        client().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("refresh_token", access).formParam("service", SERVICE).post("/token").then().statusCode(401);
    }

    @Test
    void accountThrottleAnswers429ThenLetsTheRightPasswordInAgain() throws Exception {
        String address = "10.1.0.1";
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(given().header("X-Forwarded-For", address).auth().preemptive().basic("bob", "wrong-" + i)
                    .queryParam("service", SERVICE).get("/token").statusCode());
        }
        assertEquals(List.of(401, 401, 401, 401, 429), statuses);
        // The guesser's address waits, with the right password too ...
        Response blocked = given().header("X-Forwarded-For", address).auth().preemptive().basic("bob", "bob-secret")
                .queryParam("service", SERVICE).get("/token");
        blocked.then().statusCode(429).body("errors[0].code", equalTo("TOOMANYREQUESTS"));
        int retryAfter = Integer.parseInt(blocked.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
        // ... but the owner, from an address with no failures, is never held back by a third party's guesses.
        get("bob", "bob-secret", "repository:bob/app:pull").then().statusCode(200);
        Thread.sleep(2100);
        given().header("X-Forwarded-For", address).auth().preemptive().basic("bob", "bob-secret")
                .queryParam("service", SERVICE).get("/token").then().statusCode(200);
    }

    @Test
    void addressThrottleSlowsGuessesAcrossAccounts() throws Exception {
        String address = "10.2.0.1";
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statuses.add(given().header("X-Forwarded-For", address).auth().preemptive().basic("user" + i, "guess")
                    .queryParam("service", SERVICE).get("/token").statusCode());
        }
        assertEquals(List.of(401, 401, 401, 401, 401, 401, 401, 429), statuses);
        // Another address is not affected, and anonymous requests are never throttled.
        get("alice", "alice-secret").then().statusCode(200);
        given().header("X-Forwarded-For", address).queryParam("service", SERVICE).get("/token").then().statusCode(200);
    }

    @Test
    void decisionsAreCachedBriefly() throws Exception {
        String index = ConfigProvider.getConfig().getValue("mesh.index-url", String.class);
        int before = counts(index)[0];
        for (int i = 0; i < 3; i++) {
            get("admin", "admin-secret", "repository:x/y:pull").then().statusCode(200);
        }
        assertEquals(before + 1, counts(index)[0], "one authenticate call for three token requests");
        Thread.sleep(5200);
        get("admin", "admin-secret", "repository:x/y:pull").then().statusCode(200);
        assertEquals(before + 2, counts(index)[0], "asked again after the cache TTL");
    }

    private static int[] counts(String indexUrl) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(indexUrl + "/test/counts")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        return new int[] {node.get("authenticate").asInt(), node.get("authorize").asInt()};
    }

    /** index-service asking to wait is passed on as such, with its Retry-After: not an outage, not a failed login. */
    @Test
    void aBusyAccountServiceIsPassedOnAs429() {
        Response busy = get("busy", "whatever", "repository:busy/app:pull");
        busy.then().statusCode(429).body("errors[0].code", equalTo("TOOMANYREQUESTS"));
        assertEquals("7", busy.header("Retry-After"));
    }

    @Test
    void otherMethodsAre405() {
        client().delete("/token").then().statusCode(405);
    }

    @Test
    void jwksPublishesOnlyPublicParts() {
        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        assertFalse(jwks.contains("\"d\""), "no private exponent");
        assertTrue(jwks.contains("\"x5c\""));
    }
}
