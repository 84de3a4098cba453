package dev.registrymesh.index.api;

import static dev.registrymesh.index.api.Api.admin;
import static dev.registrymesh.index.api.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Quotas, retention and immutable tags through the API: who may read and change them, and what the registry reads. */
@QuarkusTest
class LifecycleApiTest {

    @Test
    void adminsSetQuotasMembersReadThemStrangersSeeNothing() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        as(alice).body(Map.of("quotaBytes", 1)).put("/api/v1/namespaces/" + alice + "/quota").then().statusCode(403);
        admin().body(Map.of("quotaBytes", 5000, "maxRepositories", 3)).put("/api/v1/namespaces/" + alice + "/quota")
                .then().statusCode(200).body("quotaBytes", equalTo(5000)).body("usedBytes", equalTo(1234));
        as(alice).get("/api/v1/namespaces/" + alice + "/quota").then().statusCode(200)
                .body("quotaBytes", equalTo(5000)).body("maxRepositories", equalTo(3)).body("usedBytes", equalTo(1234));
        as(bob).get("/api/v1/namespaces/" + alice + "/quota").then().statusCode(404);
        admin().body(Map.of("quotaBytes", -1)).put("/api/v1/namespaces/" + alice + "/quota").then().statusCode(400);
        assertTrue(RegistryAdminStub.CHANGED.contains("/admin/v1/namespaces/" + alice + "/policy-changed"));
        Api.anon().get("/internal/v1/namespaces/" + alice + "/lifecycle").then().statusCode(200)
                .body("quotaBytes", equalTo(5000)).body("maxRepositories", equalTo(3));
    }

    @Test
    void ownersManageRetentionAndImmutableTagsAndTheRegistryReadsThem() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        String rules = "/api/v1/namespaces/" + alice + "/retention";
        as(alice).body(Map.of("rules", List.of(Map.of("tagPattern", "build-*", "keepLast", 5), Map.of("unpulledDays", 30))))
                .put(rules).then().statusCode(200).body("rules[0].keepLast", equalTo(5)).body("rules[1].tagPattern", equalTo("*"));
        as(bob).body(Map.of("rules", List.of())).put(rules).then().statusCode(404);
        as(alice).body(Map.of("rules", List.of(Map.of("tagPattern", "x")))).put(rules).then().statusCode(400);
        as(alice).body(Map.of("rules", List.of(Map.of("repository", bob + "/app", "keepLast", 1)))).put(rules).then().statusCode(400);

        String immutable = "/api/v1/repositories/" + alice + "/app/immutable-tags";
        as(alice).body(Map.of("patterns", List.of("v*"))).put(immutable).then().statusCode(200).body("patterns", equalTo(List.of("v*")));
        as(alice).get(immutable).then().statusCode(200).body("patterns", equalTo(List.of("v*")));
        as(bob).body(Map.of("patterns", List.of("*"))).put(immutable).then().statusCode(404);
        as(alice).get("/api/v1/namespaces/" + alice + "/immutable-tags").then().statusCode(200)
                .body("rules[0].repository", equalTo(alice + "/app")).body("rules[0].tagPattern", equalTo("v*"));

        Api.anon().get("/internal/v1/namespaces/" + alice + "/lifecycle").then().statusCode(200)
                .body("retention.keepLast", hasItem(5)).body("immutable[0].tagPattern", equalTo("v*"))
                .body("quotaBytes", nullValue());
    }
}
