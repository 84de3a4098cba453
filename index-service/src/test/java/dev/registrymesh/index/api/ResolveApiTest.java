package dev.registrymesh.index.api;

import static dev.registrymesh.index.api.Api.anon;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class ResolveApiTest {
    static final String HEX = "a".repeat(64);

    @Test
    void officialShortName() {
        anon().queryParam("reference", "ubuntu").get("/v1/resolve").then().statusCode(200)
                .body("input", equalTo("ubuntu"))
                .body("canonical", equalTo("docker.io/library/ubuntu:latest"))
                .body("registry", equalTo("docker.io"))
                .body("repository", equalTo("library/ubuntu"))
                .body("tag", equalTo("latest"))
                .body("digest", nullValue())
                .body("familiar", equalTo("ubuntu:latest"))
                .body("familiarName", equalTo("ubuntu"));
    }

    @Test
    void digestOnlyKeepsTheDigestAndHasNoTag() {
        anon().queryParam("reference", "localhost:5000/a/b@sha256:" + HEX).get("/v1/resolve").then().statusCode(200)
                .body("registry", equalTo("localhost:5000"))
                .body("repository", equalTo("a/b"))
                .body("tag", nullValue())
                .body("digest", equalTo("sha256:" + HEX))
                .body("canonical", equalTo("localhost:5000/a/b@sha256:" + HEX))
                .body("familiarName", equalTo("localhost:5000/a/b"))
                // Present as null, not missing.
                .body("containsKey('tag')", equalTo(true));
    }

    @ParameterizedTest
    @CsvSource({
            "alice/app:1.0,                  docker.io/alice/app:1.0,             alice/app:1.0",
            "index.docker.io/library/redis,   docker.io/library/redis:latest,      redis:latest",
            "ghcr.io/org/tool:v2,            ghcr.io/org/tool:v2,                 ghcr.io/org/tool:v2"})
    void validReferences(String input, String canonical, String familiar) {
        anon().queryParam("reference", input).get("/v1/resolve").then().statusCode(200)
                .body("canonical", equalTo(canonical)).body("familiar", equalTo(familiar));
    }

    @ParameterizedTest
    @CsvSource({
            "Ubuntu/App,                 NAME_INVALID",
            "alice//app,                 NAME_INVALID",
            "'',                         NAME_INVALID",
            "alice/app:-bad,             TAG_INVALID",
            "alice/app@sha256:abc,       DIGEST_INVALID"})
    void invalidReferencesAre400(String input, String code) {
        anon().queryParam("reference", input).get("/v1/resolve").then().statusCode(400)
                .body("errors[0].code", equalTo(code)).body("errors[0].message", notNullValue());
    }

    @Test
    void missingReferenceIs400() {
        anon().get("/v1/resolve").then().statusCode(400).body("errors[0].code", equalTo("NAME_INVALID"));
    }
}
