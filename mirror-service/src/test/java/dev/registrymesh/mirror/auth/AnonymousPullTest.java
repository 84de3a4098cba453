package dev.registrymesh.mirror.auth;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** {@code mirror.allow-anonymous}: no token is fine, a bad token is still refused. */
@QuarkusTest
@TestProfile(ClientAuthProfiles.AnonymousAllowed.class)
class AnonymousPullTest {

    @Test
    void withoutATokenRequestsPass() {
        given().get("/v2/").then().statusCode(200);
        given().get(ClientTokenGateTest.MANIFEST).then().statusCode(404);
    }

    @Test
    void aBadTokenIsStillRefused() {
        given().header("Authorization", "Bearer not-a-jwt").get(ClientTokenGateTest.MANIFEST).then().statusCode(401);
    }
}
