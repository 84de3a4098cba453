package dev.registrymesh.index.api;

import static dev.registrymesh.index.api.Api.admin;
import static dev.registrymesh.index.api.Api.anon;
import static dev.registrymesh.index.api.Api.as;
import static dev.registrymesh.index.api.Api.granted;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class OrgsTeamsApiTest {

    @Test
    void creatorOwnsTheOrgAndItsNamespace() {
        String alice = Api.user("alice");
        String acme = Api.org(alice, "acme");
        as(alice).get("/api/v1/orgs/" + acme).then().statusCode(200).body("owners", contains(alice));
        as(alice).get("/api/v1/orgs").then().statusCode(200).body("name", hasItem(acme));
        anon().get("/api/v1/namespaces/" + acme).then().statusCode(200).body("kind", equalTo("organization"));
        anon().get("/api/v1/namespaces/" + alice).then().statusCode(200).body("kind", equalTo("user"));
        anon().get("/api/v1/namespaces/library").then().statusCode(200).body("kind", equalTo("official"));
        anon().get("/api/v1/namespaces/" + Api.unique("none")).then().statusCode(404);
        assertEquals(List.of("pull", "push", "delete"), granted(alice, "password", acme + "/app", "*"));
    }

    @Test
    void orgNamesShareTheNamespaceSpace() {
        String alice = Api.user("alice");
        as(alice).body(Map.of("name", alice)).post("/api/v1/orgs").then().statusCode(409);
        String acme = Api.org(alice, "acme");
        admin().body(Map.of("name", acme, "password", "long-enough-password")).post("/api/v1/users").then().statusCode(409);
        anon().body(Map.of("name", Api.unique("x"))).post("/api/v1/orgs").then().statusCode(401);
        as(alice).body(Map.of("name", "Bad Name")).post("/api/v1/orgs").then().statusCode(400);
    }

    @Test
    void outsidersSeeOnlyTheName() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        String acme = Api.org(alice, "acme");
        as(bob).get("/api/v1/orgs/" + acme).then().statusCode(200).body("name", equalTo(acme)).body("owners", nullValue());
        as(bob).get("/api/v1/orgs/" + acme + "/teams").then().statusCode(403);
        anon().get("/api/v1/orgs/" + acme + "/teams").then().statusCode(401);
        as(bob).body(Map.of("name", "devs", "role", "push")).post("/api/v1/orgs/" + acme + "/teams").then().statusCode(403);
        as(bob).delete("/api/v1/orgs/" + acme).then().statusCode(403);
        anon().get("/api/v1/orgs/" + Api.unique("none")).then().statusCode(404);
    }

    /** The case: a team member's rights end when removed from the team. */
    @Test
    void teamMembersRightsEndWhenRemoved() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        String acme = Api.org(alice, "acme");
        String repo = acme + "/app";
        as(alice).body(Map.of("name", "devs", "role", "push")).post("/api/v1/orgs/" + acme + "/teams")
                .then().statusCode(201).body("role", equalTo("push"));
        assertEquals(List.of(), granted(bob, "password", repo, "pull", "push"));

        as(alice).put("/api/v1/orgs/" + acme + "/teams/devs/members/" + bob).then().statusCode(200).body("members", hasItem(bob));
        assertEquals(List.of("pull", "push"), granted(bob, "password", repo, "pull", "push", "delete"));
        as(bob).get("/api/v1/orgs/" + acme + "/teams").then().statusCode(200).body("name", hasItem("devs"));

        as(alice).delete("/api/v1/orgs/" + acme + "/teams/devs/members/" + bob).then().statusCode(200);
        assertEquals(List.of(), granted(bob, "password", repo, "pull", "push"));
        as(alice).delete("/api/v1/orgs/" + acme + "/teams/devs/members/" + bob).then().statusCode(404);
    }

    @ParameterizedTest
    @CsvSource({
            "pull,  pull",
            "push,  pull push",
            "admin, pull push delete"})
    void teamRolesGrantTheirActions(String role, String expected) {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        String acme = Api.org(alice, "acme");
        as(alice).body(Map.of("name", "t", "role", role)).post("/api/v1/orgs/" + acme + "/teams").then().statusCode(201);
        as(alice).put("/api/v1/orgs/" + acme + "/teams/t/members/" + bob).then().statusCode(200);
        assertEquals(List.of(expected.split(" ")), granted(bob, "password", acme + "/app", "*"));
    }

    @Test
    void teamsMayBeLimitedToSomeRepositories() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        String acme = Api.org(alice, "acme");
        as(alice).body(Map.of("name", "web", "role", "push", "repositories", List.of("site"))).post("/api/v1/orgs/" + acme + "/teams")
                .then().statusCode(201).body("repositories", contains("site"));
        as(alice).put("/api/v1/orgs/" + acme + "/teams/web/members/" + bob).then().statusCode(200);
        assertEquals(List.of("pull", "push"), granted(bob, "password", acme + "/site", "pull", "push"));
        assertEquals(List.of(), granted(bob, "password", acme + "/billing", "pull", "push"));

        as(alice).body(Map.of("role", "pull", "repositories", List.of())).patch("/api/v1/orgs/" + acme + "/teams/web")
                .then().statusCode(200).body("role", equalTo("pull"));
        assertEquals(List.of("pull"), granted(bob, "password", acme + "/billing", "pull", "push"));
    }

    @Test
    void teamErrors() {
        String alice = Api.user("alice");
        String acme = Api.org(alice, "acme");
        String base = "/api/v1/orgs/" + acme + "/teams";
        as(alice).body(Map.of("name", "devs")).post(base).then().statusCode(201).body("role", equalTo("pull"));
        as(alice).body(Map.of("name", "devs")).post(base).then().statusCode(409);
        as(alice).body(Map.of("name", "x", "role", "owner")).post(base).then().statusCode(400);
        as(alice).body(Map.of("name", "UP")).post(base).then().statusCode(400).body("errors[0].code", equalTo("NAME_INVALID"));
        as(alice).put(base + "/devs/members/" + Api.unique("ghost")).then().statusCode(404);
        as(alice).put(base + "/nope/members/" + alice).then().statusCode(404);
        as(alice).get(base + "/nope").then().statusCode(404);
        as(alice).delete(base + "/devs").then().statusCode(204);
        as(alice).delete(base + "/devs").then().statusCode(404);
    }

    @Test
    void ownersComeAndGoButOneStays() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        String acme = Api.org(alice, "acme");
        as(alice).delete("/api/v1/orgs/" + acme + "/owners/" + alice).then().statusCode(409);
        as(alice).put("/api/v1/orgs/" + acme + "/owners/" + bob).then().statusCode(200).body("owners", hasItem(bob));
        assertEquals(List.of("pull", "push", "delete"), granted(bob, "password", acme + "/app", "*"));
        as(bob).delete("/api/v1/orgs/" + acme + "/owners/" + alice).then().statusCode(200);
        assertEquals(List.of(), granted(alice, "password", acme + "/app", "*"));
        as(bob).put("/api/v1/orgs/" + acme + "/owners/" + Api.unique("ghost")).then().statusCode(404);
    }

    @Test
    void deletingTheOrgDropsItsTeams() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        String acme = Api.org(alice, "acme");
        as(alice).body(Map.of("name", "devs", "role", "push")).post("/api/v1/orgs/" + acme + "/teams").then().statusCode(201);
        as(alice).put("/api/v1/orgs/" + acme + "/teams/devs/members/" + bob).then().statusCode(200);
        as(alice).delete("/api/v1/orgs/" + acme).then().statusCode(204);
        assertEquals(List.of(), granted(bob, "password", acme + "/app", "pull"));
        as(alice).get("/api/v1/orgs/" + acme).then().statusCode(404);
    }
}
