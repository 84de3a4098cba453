package dev.registrymesh.index.store;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The service on Redis with MESH_INTERNAL_TOKEN set: the internal API wants the token; revocation still bites at once. */
@QuarkusTest
@TestProfile(RedisProfile.class)
class RedisInternalApiTest {
    static final String HEADER = "X-Mesh-Internal-Token";

    @ParameterizedTest
    @CsvSource({"'',403", "wrong,403", RedisProfile.INTERNAL_TOKEN + ",200"})
    void internalApiWantsTheToken(String token, int status) {
        var request = given().contentType(ContentType.JSON);
        if (!token.isEmpty()) {
            request.header(HEADER, token);
        }
        request.body(Map.of("username", "admin", "password", "admin-test-password")).post("/internal/v1/authenticate")
                .then().statusCode(status);
    }

    @Test
    void publicApiNeedsNoInternalToken() {
        given().get("/v1/_ping").then().statusCode(200);
    }

    @Test
    void revocationTakesEffectAtOnceOnRedis() {
        String user = "r" + System.nanoTime();
        given().auth().preemptive().basic("admin", "admin-test-password").contentType(ContentType.JSON)
                .body(Map.of("name", user, "password", "long-enough-password")).post("/api/v1/users").then().statusCode(201);
        var created = given().auth().preemptive().basic(user, "long-enough-password").contentType(ContentType.JSON)
                .body(Map.of("name", "t")).post("/api/v1/tokens").then().statusCode(201).extract().jsonPath();
        Map<String, Object> authorize = Map.of("subject", user, "credential", "pat:" + created.getString("id"),
                "scopes", List.of(Map.of("type", "repository", "name", user + "/app", "actions", List.of("push"))));
        given().header(HEADER, RedisProfile.INTERNAL_TOKEN).contentType(ContentType.JSON).body(authorize)
                .post("/internal/v1/authorize").then().statusCode(200).body("access[0].actions[0]", equalTo("push"));
        given().auth().preemptive().basic(user, "long-enough-password").delete("/api/v1/tokens/" + created.getString("id"))
                .then().statusCode(204);
        given().header(HEADER, RedisProfile.INTERNAL_TOKEN).contentType(ContentType.JSON).body(authorize)
                .post("/internal/v1/authorize").then().statusCode(401);
    }
}
