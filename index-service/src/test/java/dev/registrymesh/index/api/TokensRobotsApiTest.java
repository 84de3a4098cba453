package dev.registrymesh.index.api;

import static dev.registrymesh.index.api.Api.anon;
import static dev.registrymesh.index.api.Api.as;
import static dev.registrymesh.index.api.Api.authorizeStatus;
import static dev.registrymesh.index.api.Api.bearer;
import static dev.registrymesh.index.api.Api.granted;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TokensRobotsApiTest {

    private static JsonPath newToken(String user, Map<String, Object> body) {
        return as(user).body(body).post("/api/v1/tokens").then().statusCode(201)
                .body("token", startsWith("mesh_pat_")).extract().jsonPath();
    }

    private static JsonPath authenticate(String username, String secret, int status) {
        return anon().body(Map.of("username", username, "password", secret)).post("/internal/v1/authenticate")
                .then().statusCode(status).extract().jsonPath();
    }

    @Test
    void tokenWorksAsPasswordAndAsBearerAndIsShownOnce() {
        String alice = Api.user("alice");
        JsonPath t = newToken(alice, Map.of("name", "laptop"));
        String token = t.getString("token");
        String id = t.getString("id");
        assertEquals(List.of("pull", "push", "delete"), t.getList("actions"));

        assertEquals("pat:" + id, authenticate(alice, token, 200).getString("credential"));
        as(alice, token).get("/api/v1/user").then().statusCode(200).body("credential", equalTo("pat:" + id));
        bearer(token).get("/api/v1/user").then().statusCode(200).body("subject", equalTo(alice));
        as(alice).get("/api/v1/tokens").then().statusCode(200).body("id", hasItem(id)).body("token", everyItem(nullValue()));
        as(alice).get("/api/v1/tokens/" + id).then().statusCode(200).body("token", nullValue()).body("secretHash", nullValue());
        // Someone else's token does not exist for you.
        as(Api.user("bob")).get("/api/v1/tokens/" + id).then().statusCode(404);
    }

    /** The case: a revoked token stops working at once. */
    @Test
    void revokedTokenStopsAtOnce() {
        String alice = Api.user("alice");
        JsonPath t = newToken(alice, Map.of("name", "ci"));
        String token = t.getString("token");
        String credential = "pat:" + t.getString("id");
        // Warm every cache first.
        authenticate(alice, token, 200);
        bearer(token).get("/api/v1/user").then().statusCode(200);
        assertEquals(List.of("pull"), granted(alice, credential, alice + "/app", "pull"));

        as(alice).delete("/api/v1/tokens/" + t.getString("id")).then().statusCode(204);

        assertEquals("UNAUTHORIZED", authenticate(alice, token, 401).getString("errors[0].code"));
        bearer(token).get("/api/v1/user").then().statusCode(401);
        assertEquals(401, authorizeStatus(alice, credential, alice + "/app"));
        as(alice).get("/api/v1/tokens/" + t.getString("id")).then().statusCode(200).body("revokedAt", notNullValue());
        // The password still works.
        assertEquals(List.of("pull"), granted(alice, "password", alice + "/app", "pull"));
    }

    @Test
    void scopedTokenNeverGrantsMoreThanItsScopes() {
        String alice = Api.user("alice");
        JsonPath t = newToken(alice, Map.of("actions", List.of("pull"), "repositories", List.of(alice + "/app")));
        String credential = "pat:" + t.getString("id");
        assertEquals(List.of("pull"), granted(alice, credential, alice + "/app", "pull", "push", "delete"));
        assertEquals(List.of(), granted(alice, credential, alice + "/other", "pull"));
        // Nor can it manage the account.
        as(alice, t.getString("token")).body(Map.of("name", Api.unique("o"))).post("/api/v1/orgs").then().statusCode(403);
        as(alice, t.getString("token")).body(Map.of("actions", List.of("push"))).post("/api/v1/tokens").then().statusCode(403);

        JsonPath ns = newToken(alice, Map.of("actions", List.of("pull", "push"), "repositories", List.of(alice + "/*")));
        assertEquals(List.of("pull", "push"), granted(alice, "pat:" + ns.getString("id"), alice + "/any", "*"));
    }

    @Test
    void expiredTokenStops() throws InterruptedException {
        String alice = Api.user("alice");
        JsonPath t = newToken(alice, Map.of("expiresAt", Instant.now().plusSeconds(2).toString()));
        String token = t.getString("token");
        authenticate(alice, token, 200);
        Thread.sleep(2200);
        authenticate(alice, token, 401);
        assertEquals(401, authorizeStatus(alice, "pat:" + t.getString("id"), alice + "/app"));
    }

    @Test
    void tokenRequestErrors() {
        String alice = Api.user("alice");
        as(alice).body(Map.of("expiresAt", "2001-01-01T00:00:00Z")).post("/api/v1/tokens").then().statusCode(400);
        as(alice).body(Map.of("expiresInDays", 0)).post("/api/v1/tokens").then().statusCode(400);
        as(alice).body(Map.of("actions", List.of("fly"))).post("/api/v1/tokens").then().statusCode(400);
        as(alice).body(Map.of("repositories", List.of("Bad/Name"))).post("/api/v1/tokens").then().statusCode(400);
        anon().body(Map.of()).post("/api/v1/tokens").then().statusCode(401);
        as(alice).delete("/api/v1/tokens/nope").then().statusCode(404);
        bearer("mesh_pat_0000000000000000_wrong").get("/api/v1/user").then().statusCode(401);
    }

    @Test
    void robotLogsInWithItsSecretAndHoldsItsRole() {
        String alice = Api.user("alice");
        String base = "/api/v1/namespaces/" + alice + "/robots";
        JsonPath r = as(alice).body(Map.of("name", "ci", "role", "push")).post(base).then().statusCode(201)
                .body("name", equalTo(alice + "+ci")).body("secret", notNullValue()).extract().jsonPath();
        String robot = alice + "+ci";
        String secret = r.getString("secret");
        JsonPath who = authenticate(robot, secret, 200);
        assertEquals("robot:" + robot, who.getString("credential"));
        assertEquals(robot, who.getString("subject"));
        assertEquals(List.of("pull", "push"), granted(robot, "robot:" + robot, alice + "/app", "*"));
        assertEquals(List.of(), granted(robot, "robot:" + robot, Api.user("bob") + "/app", "*"));
        as(alice).get(base).then().statusCode(200).body("name", hasItem(robot)).body("secret", everyItem(nullValue()));
        // Robots cannot manage accounts.
        as(robot, secret).body(Map.of("name", Api.unique("o"))).post("/api/v1/orgs").then().statusCode(403);

        String fresh = as(alice).post(base + "/ci/secret").then().statusCode(200).extract().jsonPath().getString("secret");
        authenticate(robot, secret, 401);
        authenticate(robot, fresh, 200);

        as(alice).delete(base + "/ci").then().statusCode(204);
        authenticate(robot, fresh, 401);
        assertEquals(401, authorizeStatus(robot, "robot:" + robot, alice + "/app"));
    }

    @Test
    void orgRobotsJoinTeams() {
        String alice = Api.user("alice");
        String acme = Api.org(alice, "acme");
        as(alice).body(Map.of("name", "deploy")).post("/api/v1/namespaces/" + acme + "/robots").then().statusCode(201)
                .body("role", equalTo("pull"));
        String robot = acme + "+deploy";
        assertEquals(List.of("pull"), granted(robot, "robot:" + robot, acme + "/app", "*"));
        as(alice).body(Map.of("name", "writers", "role", "push")).post("/api/v1/orgs/" + acme + "/teams").then().statusCode(201);
        as(alice).put("/api/v1/orgs/" + acme + "/teams/writers/members/" + robot).then().statusCode(200);
        assertEquals(List.of("pull", "push"), granted(robot, "robot:" + robot, acme + "/app", "*"));
        // Another namespace's robot cannot join.
        as(alice).body(Map.of("name", "x")).post("/api/v1/namespaces/" + alice + "/robots").then().statusCode(201);
        as(alice).put("/api/v1/orgs/" + acme + "/teams/writers/members/" + alice + "+x").then().statusCode(404);
    }

    @Test
    void robotErrors() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        String base = "/api/v1/namespaces/" + alice + "/robots";
        as(bob).body(Map.of("name", "ci")).post(base).then().statusCode(403);
        anon().get(base).then().statusCode(401);
        as(alice).body(Map.of("name", "ci")).post(base).then().statusCode(201);
        as(alice).body(Map.of("name", "ci")).post(base).then().statusCode(409);
        as(alice).body(Map.of("name", "C I")).post(base).then().statusCode(400);
        as(alice).get(base + "/none").then().statusCode(404);
        as(alice).body(Map.of("name", "x")).post("/api/v1/namespaces/" + Api.unique("none") + "/robots").then().statusCode(404);
        authenticate(alice + "+ci", "wrong", 401);
    }
}
