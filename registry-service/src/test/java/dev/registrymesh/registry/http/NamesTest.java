package dev.registrymesh.registry.http;

import static dev.registrymesh.registry.Fixtures.error;
import static dev.registrymesh.registry.Fixtures.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.registry.Fixtures;
import dev.registrymesh.registry.Fixtures.Descriptor;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Repository names with several components, including the words the routes use ("blobs", "manifests",
 * "uploads", "tags/list", "referrers"): every endpoint must still find where the name ends.
 */
@QuarkusTest
class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"app", "a/b/c/d/e", "blobs", "manifests", "uploads", "blobs/uploads", "x/blobs/y/manifests/z",
            "manifests/blobs", "tags/list", "referrers", "v2", "tags", "dotted.name__x--y"})
    void everyEndpointWorksWithTheName(String suffix) {
        String repo = Fixtures.repo(suffix);
        byte[] layerBytes = Fixtures.bytes(777);
        Descriptor layer = Fixtures.pushBlob(repo, layerBytes);
        assertArrayEquals(layerBytes, given().get("/v2/" + repo + "/blobs/" + layer.digest()).then().statusCode(200).extract().asByteArray());
        given().head("/v2/" + repo + "/blobs/" + layer.digest()).then().statusCode(200);

        // a chunked upload through the session URL
        byte[] chunked = Fixtures.bytes(100);
        String location = given().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
        location = given().contentType("application/octet-stream").body(chunked).patch(location).then()
                .statusCode(202).header("Range", "0-99").extract().header("Location");
        given().get(location).then().statusCode(204).header("Range", "0-99");
        given().queryParam("digest", Fixtures.sha256(chunked)).put(location).then().statusCode(201)
                .header("Location", "/v2/" + repo + "/blobs/" + Fixtures.sha256(chunked));
        String cancelled = given().post("/v2/" + repo + "/blobs/uploads").then().statusCode(202).extract().header("Location");
        given().delete(cancelled).then().statusCode(204);

        Descriptor image = Fixtures.pushImage(repo, "latest", MediaTypes.OCI_MANIFEST);
        given().accept(MediaTypes.OCI_MANIFEST).get("/v2/" + repo + "/manifests/latest").then().statusCode(200)
                .header("Docker-Content-Digest", image.digest());
        given().get("/v2/" + repo + "/tags/list").then().statusCode(200).body("name", equalTo(repo)).body("tags", equalTo(List.of("latest")));
        given().get("/v2/" + repo + "/referrers/" + image.digest()).then().statusCode(200).body("manifests.size()", equalTo(0));
        given().get("/v2/_catalog").then().statusCode(200).body("repositories", hasItem(repo));

        given().delete("/v2/" + repo + "/manifests/latest").then().statusCode(202);
        given().delete("/v2/" + repo + "/manifests/" + image.digest()).then().statusCode(202);
        given().delete("/v2/" + repo + "/blobs/" + layer.digest()).then().statusCode(202);
        given().head("/v2/" + repo + "/blobs/" + layer.digest()).then().statusCode(404);
    }

    @Test
    void longestNameIsAcceptedAndOneMoreCharacterIsNot() {
        String prefix = Fixtures.repo("long") + "/";
        String longest = prefix + "a".repeat(255 - prefix.length());
        assertEquals(255, longest.length());
        Fixtures.pushBlob(longest, Fixtures.bytes(10));
        Fixtures.pushImage(longest, "v1", MediaTypes.OCI_MANIFEST);
        given().get("/v2/" + longest + "/tags/list").then().statusCode(200).body("name", equalTo(longest));

        String tooLong = longest + "a";
        error(given().post("/v2/" + tooLong + "/blobs/uploads/").then(), 400, "NAME_INVALID");
        error(given().get("/v2/" + tooLong + "/tags/list").then(), 400, "NAME_INVALID");
    }

    /** Invalid names are refused on every endpoint, before anything is read or stored. */
    @ParameterizedTest
    @ValueSource(strings = {"UPPER", "a__/b", "a/-b", "a.", "_hidden", "a/_layers", "x/_manifests"})
    void invalidNameIsRefusedEverywhere(String name) {
        String digest = Fixtures.absentDigest();
        error(given().post("/v2/" + name + "/blobs/uploads/").then(), 400, "NAME_INVALID");
        error(given().body(new byte[] {1}).queryParam("digest", digest).post("/v2/" + name + "/blobs/uploads/").then(), 400, "NAME_INVALID");
        error(given().get("/v2/" + name + "/blobs/uploads/" + java.util.UUID.randomUUID()).then(), 400, "NAME_INVALID");
        error(given().get("/v2/" + name + "/blobs/" + digest).then(), 400, "NAME_INVALID");
        error(given().delete("/v2/" + name + "/blobs/" + digest).then(), 400, "NAME_INVALID");
        error(given().get("/v2/" + name + "/manifests/latest").then(), 400, "NAME_INVALID");
        error(given().contentType(MediaTypes.OCI_MANIFEST).body("{}").put("/v2/" + name + "/manifests/latest").then(), 400, "NAME_INVALID");
        error(given().delete("/v2/" + name + "/manifests/latest").then(), 400, "NAME_INVALID");
        error(given().get("/v2/" + name + "/tags/list").then(), 400, "NAME_INVALID");
        error(given().get("/v2/" + name + "/referrers/" + digest).then(), 400, "NAME_INVALID");
    }

    @Test
    void unknownEndpointsAndMethodsGetJsonErrors() {
        String repo = Fixtures.repo("routes");
        given().get("/v2/" + repo + "/nothing-here").then().statusCode(404).header("Content-Type", "application/json")
                .body("errors[0].code", equalTo("NAME_UNKNOWN"));
        given().post("/v2/" + repo + "/manifests/latest").then().statusCode(405).body("errors[0].code", equalTo("UNSUPPORTED"));
        given().put("/v2/" + repo + "/tags/list").then().statusCode(405).body("errors[0].code", equalTo("UNSUPPORTED"));
    }
}
