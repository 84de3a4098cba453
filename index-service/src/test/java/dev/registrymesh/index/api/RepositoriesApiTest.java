package dev.registrymesh.index.api;

import static dev.registrymesh.index.api.Api.admin;
import static dev.registrymesh.index.api.Api.anon;
import static dev.registrymesh.index.api.Api.as;
import static dev.registrymesh.index.api.Api.granted;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class RepositoriesApiTest {

    /** The case: a user can neither see nor change another user's private repository. */
    @Test
    void othersCannotSeeOrChangeAPrivateRepository() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        String repo = alice + "/secret";
        Api.repository(alice, repo, "private");
        as(alice).get("/api/v1/repositories/" + repo).then().statusCode(200).body("visibility", equalTo("private"));

        as(bob).get("/api/v1/repositories/" + repo).then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
        anon().get("/api/v1/repositories/" + repo).then().statusCode(404);
        as(bob).body(Map.of("visibility", "public")).patch("/api/v1/repositories/" + repo).then().statusCode(404);
        as(bob).delete("/api/v1/repositories/" + repo).then().statusCode(404);
        as(bob).get("/api/v1/repositories").then().statusCode(200).body("name", not(hasItem(repo)));
        as(bob).get("/api/v1/repositories?namespace=" + alice).then().statusCode(200).body("size()", equalTo(0));
        assertEquals(List.of(), granted(bob, "password", repo, "pull", "push", "delete"));
        assertEquals(List.of(), granted(null, null, repo, "pull"));
        // And nothing changed.
        as(alice).get("/api/v1/repositories/" + repo).then().statusCode(200).body("visibility", equalTo("private"));
    }

    @Test
    void publicRepositoriesArePullableByAnyoneButChangedOnlyByOwners() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        String repo = alice + "/tools/cli";
        Api.repository(alice, repo, "public");
        anon().get("/api/v1/repositories/" + repo).then().statusCode(200)
                .body("name", equalTo(repo)).body("namespace", equalTo(alice)).body("repository", equalTo("tools/cli"))
                .body("tagCount", equalTo(0)).body("pullCount", equalTo(0));
        assertEquals(List.of("pull"), granted(null, null, repo, "pull", "push"));
        assertEquals(List.of("pull"), granted(bob, "password", repo, "*"));
        as(bob).body(Map.of("description", "mine now")).patch("/api/v1/repositories/" + repo).then().statusCode(403);
        as(bob).delete("/api/v1/repositories/" + repo).then().statusCode(403);

        as(alice).body(Map.of("visibility", "private", "description", "internal tool")).patch("/api/v1/repositories/" + repo)
                .then().statusCode(200).body("visibility", equalTo("private")).body("description", equalTo("internal tool"));
        assertEquals(List.of(), granted(null, null, repo, "pull"));
        as(alice).delete("/api/v1/repositories/" + repo).then().statusCode(204);
        as(alice).get("/api/v1/repositories/" + repo).then().statusCode(404);
    }

    @Test
    void createNeedsPushRightsInTheNamespace() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        as(bob).body(Map.of("name", alice + "/app")).post("/api/v1/repositories").then().statusCode(403);
        anon().body(Map.of("name", alice + "/app")).post("/api/v1/repositories").then().statusCode(401);
        as(alice).body(Map.of("name", "library/app")).post("/api/v1/repositories").then().statusCode(403);
        Api.repository(alice, alice + "/app", "private");
        as(alice).body(Map.of("name", alice + "/app")).post("/api/v1/repositories").then().statusCode(409);
        // The default visibility applies when none is given.
        as(alice).body(Map.of("name", alice + "/other")).post("/api/v1/repositories").then().statusCode(201)
                .body("visibility", equalTo("private"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upper/case", "noslash", "a//b", "a/b:tag", "a/-b"})
    void invalidNamesAre400(String name) {
        as(Api.user("alice")).body(Map.of("name", name)).post("/api/v1/repositories").then().statusCode(400)
                .body("errors[0].code", equalTo("NAME_INVALID"));
    }

    @Test
    void officialNamespaceIsForAdmins() {
        String alice = Api.user("alice");
        String repo = "library/" + Api.unique("os");
        admin().body(Map.of("name", repo, "visibility", "public")).post("/api/v1/repositories").then().statusCode(201);
        assertEquals(List.of("pull"), granted(alice, "password", repo, "*"));
        assertEquals(List.of("pull", "push", "delete"), granted("admin", "password", repo, "*"));
        as(alice).body(Map.of("description", "x")).patch("/api/v1/repositories/" + repo).then().statusCode(403);
    }

    @Test
    void badVisibilityIs400() {
        String alice = Api.user("alice");
        as(alice).body(Map.of("name", alice + "/x", "visibility", "secret")).post("/api/v1/repositories").then().statusCode(400);
    }
}
