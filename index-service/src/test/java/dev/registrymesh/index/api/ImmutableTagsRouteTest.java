package dev.registrymesh.index.api;

import static dev.registrymesh.index.api.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A repository whose last path component is {@code immutable-tags} and the rule endpoint
 * {@code /api/v1/repositories/<name>/immutable-tags} share paths. What each request reaches, as the README says:
 * GET and PUT with that suffix are always the rule endpoint (of the name before it), PATCH and DELETE always the
 * record, and the record of such a repository is read in the namespace's listing.
 */
@QuarkusTest
class ImmutableTagsRouteTest {

    @Test
    void aRepositoryNamedImmutableTagsAndTheRuleEndpointEachStayReachable() {
        String alice = Api.user("alice");
        String clash = alice + "/app/immutable-tags";
        Api.repository(alice, alice + "/app", "public");
        Api.repository(alice, clash, "public");

        // GET and PUT of <name>/immutable-tags: the rules of <name>, here alice/app.
        as(alice).body(Map.of("patterns", List.of("v*"))).put("/api/v1/repositories/" + clash).then().statusCode(200)
                .body("patterns", equalTo(List.of("v*")));
        as(alice).get("/api/v1/repositories/" + clash).then().statusCode(200).body("patterns", equalTo(List.of("v*")));
        // The rules of the repository alice/app/immutable-tags: one suffix more.
        as(alice).body(Map.of("patterns", List.of("release-*"))).put("/api/v1/repositories/" + clash + "/immutable-tags")
                .then().statusCode(200);
        as(alice).get("/api/v1/namespaces/" + alice + "/immutable-tags").then().statusCode(200)
                .body("rules.repository", hasItem(clash)).body("rules.repository", hasItem(alice + "/app"));

        // PATCH and DELETE reach the record; GET of the record is in the listing.
        as(alice).body(Map.of("description", "clashing name")).patch("/api/v1/repositories/" + clash).then().statusCode(200)
                .body("name", equalTo(clash)).body("description", equalTo("clashing name"));
        as(alice).get("/api/v1/repositories?namespace=" + alice).then().statusCode(200)
                .body("find { it.name == '" + clash + "' }.description", equalTo("clashing name"));
        as(alice).delete("/api/v1/repositories/" + clash).then().statusCode(204);
        as(alice).get("/api/v1/repositories?namespace=" + alice).then().statusCode(200).body("name", equalTo(List.of(alice + "/app")));
    }
}
