package dev.registrymesh.index.api;

import static dev.registrymesh.index.api.Api.admin;
import static dev.registrymesh.index.api.Api.anon;
import static dev.registrymesh.index.api.Api.as;
import static dev.registrymesh.index.api.Api.passwordOf;
import static dev.registrymesh.index.api.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class UsersApiTest {

    @Test
    void adminCreatesUserAndNoHashIsShown() {
        String name = unique("alice");
        admin().body(Map.of("name", name, "password", passwordOf(name), "email", "a@example.org"))
                .post("/api/v1/users").then().statusCode(201)
                .header("Location", containsString("/api/v1/users/" + name))
                .body("name", equalTo(name)).body("email", equalTo("a@example.org")).body("admin", equalTo(false))
                .body("passwordHash", nullValue()).body("password", nullValue());
        as(name).get("/api/v1/user").then().statusCode(200)
                .body("subject", equalTo(name)).body("credential", equalTo("password")).body("kind", equalTo("user"));
    }

    @Test
    void duplicateNameIsConflict() {
        String name = Api.user("dup");
        admin().body(Map.of("name", name, "password", passwordOf(name))).post("/api/v1/users")
                .then().statusCode(409).body("errors[0].code", equalTo("CONFLICT"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Alice", "a b", "-x", "x-", "a..b", "a___b", "a/b", "a+b", "x%2Fy"})
    void invalidNamesAre400(String name) {
        admin().body(Map.of("name", name, "password", "long-enough-password")).post("/api/v1/users")
                .then().statusCode(400).body("errors[0].code", equalTo("NAME_INVALID"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"library", "v2", "api"})
    void reservedNamesAreRefused(String name) {
        admin().body(Map.of("name", name, "password", "long-enough-password")).post("/api/v1/users")
                .then().statusCode(409).body("errors[0].code", equalTo("CONFLICT"));
    }

    @Test
    void shortPasswordIs400() {
        admin().body(Map.of("name", unique("p"), "password", "short")).post("/api/v1/users")
                .then().statusCode(400).body("errors[0].code", equalTo("INVALID_REQUEST"));
    }

    @Test
    void onlyAdminsCreateUsers() {
        String bob = Api.user("bob");
        as(bob).body(Map.of("name", unique("x"), "password", "long-enough-password")).post("/api/v1/users")
                .then().statusCode(403).body("errors[0].code", equalTo("DENIED"));
        anon().body(Map.of("name", unique("x"), "password", "long-enough-password")).post("/api/v1/users")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Basic"))
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
    }

    @ParameterizedTest
    @CsvSource({"admin,wrong-password", "nobody-at-all,whatever-password"})
    void badCredentialsAre401(String user, String password) {
        as(user, password).get("/api/v1/user").then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic !!!", "Basic bm9jb2xvbg==", "Digest abc", "Bearer not-a-token"})
    void malformedAuthorizationIs401(String header) {
        anon().header("Authorization", header).get("/api/v1/user").then().statusCode(401);
    }

    @Test
    void anonymousHasNoIdentity() {
        anon().get("/api/v1/user").then().statusCode(401);
    }

    @Test
    void othersSeeOnlyTheBriefProfile() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        as(bob).get("/api/v1/users/" + alice).then().statusCode(200)
                .body("name", equalTo(alice)).body("admin", nullValue()).body("createdAt", notNullValue());
        as(alice).get("/api/v1/users/" + alice).then().statusCode(200).body("admin", equalTo(false));
        anon().get("/api/v1/users/" + unique("ghost")).then().statusCode(404).body("errors[0].code", equalTo("NOT_FOUND"));
    }

    @Test
    void listIsForAdmins() {
        String bob = Api.user("bob");
        admin().get("/api/v1/users").then().statusCode(200).body("name", hasItem(bob));
        as(bob).get("/api/v1/users").then().statusCode(403);
    }

    @Test
    void changingThePasswordRetiresTheOldOne() {
        String alice = Api.user("alice");
        as(alice).body(Map.of("password", "a-brand-new-password")).patch("/api/v1/users/" + alice).then().statusCode(200);
        as(alice).get("/api/v1/user").then().statusCode(401);
        as(alice, "a-brand-new-password").get("/api/v1/user").then().statusCode(200);
    }

    @Test
    void usersCannotChangeOthersOrMakeThemselvesAdmin() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        as(bob).body(Map.of("password", "stolen-password-1")).patch("/api/v1/users/" + alice).then().statusCode(403);
        as(bob).body(Map.of("admin", true)).patch("/api/v1/users/" + bob).then().statusCode(403);
        admin().body(Map.of("admin", true)).patch("/api/v1/users/" + bob).then().statusCode(200).body("admin", equalTo(true));
        as(bob).get("/api/v1/user").then().body("admin", equalTo(true));
    }

    @Test
    void deletedUsersCannotSignIn() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        as(bob).delete("/api/v1/users/" + alice).then().statusCode(403);
        as(alice).delete("/api/v1/users/" + alice).then().statusCode(204);
        as(alice).get("/api/v1/user").then().statusCode(401);
        admin().get("/api/v1/users/" + alice).then().statusCode(404);
    }

    @Test
    void malformedJsonIs400() {
        admin().body("{\"name\":").post("/api/v1/users").then().statusCode(400).body("errors[0].code", equalTo("INVALID_REQUEST"));
        admin().post("/api/v1/users").then().statusCode(400);
    }

    @Test
    void unknownEndpointIs404WithErrorBody() {
        anon().get("/api/v1/nothing-here").then().statusCode(404).body("errors[0].code", equalTo("NOT_FOUND"));
    }

    @Test
    void openApiDocumentDescribesTheApi() {
        anon().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.keySet()", hasItem("/v1/search"))
                .body("paths.keySet()", hasItem("/api/v1/repositories"))
                .body("paths.keySet()", not(hasItem("/nothing")));
    }
}
