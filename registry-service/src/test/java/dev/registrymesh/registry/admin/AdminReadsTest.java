package dev.registrymesh.registry.admin;

import static dev.registrymesh.registry.Fixtures.error;
import static dev.registrymesh.registry.Fixtures.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.registry.Fixtures;
import dev.registrymesh.registry.Fixtures.Descriptor;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The console's read-only admin endpoints: tags, manifests as stored, small blobs only, referrers. */
@QuarkusTest
class AdminReadsTest {
    private static final String BASE = "/admin/v1/repositories/";

    @Test
    void tagsManifestsConfigsAndReferrers() {
        String repo = Fixtures.repo("admin-reads");
        Descriptor image = Fixtures.pushImage(repo, "v1", MediaTypes.OCI_MANIFEST);
        Descriptor index = Fixtures.putManifest(repo, "multi", MediaTypes.OCI_INDEX,
                Fixtures.index(MediaTypes.OCI_INDEX).manifest(image, "linux", "arm64").bytes());
        Descriptor empty = Fixtures.pushBlob(repo, MediaTypes.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8));
        byte[] sbom = Fixtures.image(MediaTypes.OCI_MANIFEST).artifactType("application/spdx+json").config(empty)
                .layer(Fixtures.pushBlob(repo, "application/spdx+json", Fixtures.bytes(30))).subject(image).bytes();
        Fixtures.putManifest(repo, Fixtures.sha256(sbom), MediaTypes.OCI_MANIFEST, sbom);

        given().get(BASE + repo + "/tags").then().statusCode(200)
                .body("name", equalTo(repo))
                .body("tags.tag", org.hamcrest.Matchers.contains("multi", "v1"))
                .body("tags.find { it.tag == 'v1' }.digest", equalTo(image.digest()));
        // By tag, an index stays an index (no platform fallback), whatever the caller accepts.
        given().get(BASE + repo + "/manifests/multi").then().statusCode(200)
                .header("Content-Type", MediaTypes.OCI_INDEX).header("Docker-Content-Digest", index.digest());
        String config = given().get(BASE + repo + "/manifests/" + image.digest()).then().statusCode(200)
                .header("Content-Type", MediaTypes.OCI_MANIFEST).extract().path("config.digest");
        given().get(BASE + repo + "/blobs/" + config).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("\"architecture\":\"amd64\""));
        given().get(BASE + repo + "/referrers/" + image.digest()).then().statusCode(200)
                .body("manifests", hasSize(1)).body("manifests[0].artifactType", equalTo("application/spdx+json"));
    }

    @Test
    void unknownThingsAndLargeBlobsAreRefused() {
        String repo = Fixtures.repo("admin-reads");
        error(given().get(BASE + repo + "/tags").then(), 404, "NAME_UNKNOWN");
        Descriptor big = Fixtures.pushBlob(repo, Fixtures.bytes((int) AdminReads.MAX_BLOB_BYTES + 1));
        error(given().get(BASE + repo + "/blobs/" + big.digest()).then(), 413, "SIZE_INVALID");
        error(given().get(BASE + repo + "/blobs/" + Fixtures.absentDigest()).then(), 404, "BLOB_UNKNOWN");
        error(given().get(BASE + repo + "/manifests/nope").then(), 404, "MANIFEST_UNKNOWN");
        error(given().get(BASE + repo + "/blobs/sha256:xyz").then(), 400, "DIGEST_INVALID");
    }
}
