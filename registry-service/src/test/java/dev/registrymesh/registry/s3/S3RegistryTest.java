package dev.registrymesh.registry.s3;

import static dev.registrymesh.registry.Fixtures.error;
import static dev.registrymesh.registry.Fixtures.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.registry.Fixtures;
import dev.registrymesh.registry.Fixtures.Descriptor;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A slice of the registry's HTTP behaviour with {@code MESH_STORAGE_DRIVER=s3}, against S3Proxy. */
@QuarkusTest
@TestProfile(S3StorageProfile.class)
class S3RegistryTest {

    /** POST, a chunk with Content-Range, a chunk in stream mode, PUT with a last chunk; then GET whole and by Range. */
    @Test
    void chunkedPushThenRangedPull() {
        String repo = Fixtures.repo("s3");
        byte[] content = Fixtures.bytes(6 * 1024 * 1024 + 500);
        String digest = Fixtures.sha256(content);
        String location = given().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202)
                .header("Range", "0-0").extract().header("Location");
        location = given().contentType(MediaTypes.OCTET_STREAM).header("Content-Range", "0-999999")
                .body(Arrays.copyOfRange(content, 0, 1_000_000)).patch(location)
                .then().statusCode(202).header("Range", "0-999999").extract().header("Location");
        error(given().contentType(MediaTypes.OCTET_STREAM).header("Content-Range", "5-14").body(new byte[10]).patch(location)
                .then(), 416, "RANGE_INVALID");
        location = given().contentType(MediaTypes.OCTET_STREAM).body(Arrays.copyOfRange(content, 1_000_000, 6_000_000))
                .patch(location).then().statusCode(202).header("Range", "0-5999999").extract().header("Location");
        given().get(location).then().statusCode(204).header("Range", "0-5999999");
        given().contentType(MediaTypes.OCTET_STREAM).body(Arrays.copyOfRange(content, 6_000_000, content.length))
                .queryParam("digest", digest).put(location)
                .then().statusCode(201).header("Docker-Content-Digest", digest);

        byte[] whole = given().get("/v2/" + repo + "/blobs/" + digest).then().statusCode(200)
                .header("Content-Length", String.valueOf(content.length)).extract().asByteArray();
        assertArrayEquals(content, whole);
        byte[] part = given().header("Range", "bytes=5000000-5000099").get("/v2/" + repo + "/blobs/" + digest).then()
                .statusCode(206).header("Content-Range", "bytes 5000000-5000099/" + content.length)
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(content, 5_000_000, 5_000_100), part);
        given().head("/v2/" + repo + "/blobs/" + digest).then().statusCode(200)
                .header("Content-Length", String.valueOf(content.length));
        error(given().header("Range", "bytes=99999999-").get("/v2/" + repo + "/blobs/" + digest).then(), 416, "RANGE_INVALID");
    }

    @Test
    void wrongDigestKeepsNothing() {
        String repo = Fixtures.repo("s3");
        byte[] content = Fixtures.bytes(2000);
        String location = given().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
        error(given().contentType(MediaTypes.OCTET_STREAM).body(content).queryParam("digest", Fixtures.absentDigest())
                .put(location).then(), 400, "DIGEST_INVALID");
        error(given().get(location).then(), 404, "BLOB_UPLOAD_UNKNOWN");
        error(given().get("/v2/" + repo + "/blobs/" + Fixtures.sha256(content)).then(), 404, "BLOB_UNKNOWN");
    }

    @Test
    void manifestsTagsAndCatalog() {
        String repo = Fixtures.repo("s3");
        Descriptor image = Fixtures.pushImage(repo, "v1", MediaTypes.OCI_MANIFEST);
        given().accept(MediaTypes.OCI_MANIFEST).get("/v2/" + repo + "/manifests/v1").then().statusCode(200)
                .header("Docker-Content-Digest", image.digest()).header("Content-Type", MediaTypes.OCI_MANIFEST);
        given().accept(MediaTypes.OCI_MANIFEST).get("/v2/" + repo + "/manifests/" + image.digest()).then().statusCode(200);
        Fixtures.pushImage(repo, "v2", MediaTypes.DOCKER_MANIFEST_V2);
        given().get("/v2/" + repo + "/tags/list").then().statusCode(200).body("tags", equalTo(java.util.List.of("v1", "v2")));
        given().get("/v2/" + repo + "/tags/list?n=1").then().statusCode(200).body("tags", equalTo(java.util.List.of("v1")))
                .header("Link", org.hamcrest.Matchers.containsString("last=v1"));
        given().get("/v2/_catalog").then().statusCode(200).body("repositories", hasItems(repo));
        given().delete("/v2/" + repo + "/manifests/" + image.digest()).then().statusCode(202);
        error(given().get("/v2/" + repo + "/manifests/v1").then(), 404, "MANIFEST_UNKNOWN");
    }
}
