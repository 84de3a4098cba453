package dev.registrymesh.registry.http;

import static dev.registrymesh.registry.Fixtures.error;
import static dev.registrymesh.registry.Fixtures.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.registry.Fixtures;
import dev.registrymesh.registry.Fixtures.Descriptor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** end-12a/12b: {@code GET /v2/<name>/referrers/<digest>}, with and without {@code ?artifactType=}. */
@QuarkusTest
class ReferrersTest {
    private static final String SBOM = "application/vnd.example.sbom.v1+json";
    private static final String SIGNATURE_CONFIG = "application/vnd.example.signature.config.v1+json";

    private static String url(String repo, String subject) {
        return "/v2/" + repo + "/referrers/" + subject;
    }

    /** A subject image and three referrers: an SBOM artifact, a signature (typed by its config) and an SBOM index. */
    private record Scene(String repo, Descriptor subject, Descriptor sbom, Descriptor signature, Descriptor sbomIndex) {
    }

    private static Scene scene() {
        String repo = Fixtures.repo("referrers");
        Descriptor subject = Fixtures.pushImage(repo, "v1", MediaTypes.OCI_MANIFEST);
        Descriptor empty = Fixtures.pushBlob(repo, MediaTypes.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8));
        Descriptor sbomLayer = Fixtures.pushBlob(repo, SBOM, Fixtures.bytes(40));
        byte[] sbom = Fixtures.image(MediaTypes.OCI_MANIFEST).artifactType(SBOM).config(empty).layer(sbomLayer)
                .subject(subject).annotation("org.opencontainers.image.created", "2024-01-01T00:00:00Z").bytes();
        Descriptor sigConfig = Fixtures.pushBlob(repo, SIGNATURE_CONFIG, "{\"sig\":1}".getBytes(StandardCharsets.UTF_8));
        byte[] signature = Fixtures.image(MediaTypes.OCI_MANIFEST).config(sigConfig).subject(subject).bytes();
        Descriptor child = Fixtures.pushImage(repo, null, MediaTypes.OCI_MANIFEST);
        byte[] sbomIndex = Fixtures.index(MediaTypes.OCI_INDEX).artifactType(SBOM).manifest(child, "linux", "amd64").subject(subject).bytes();
        return new Scene(repo, subject,
                Fixtures.putManifest(repo, Fixtures.sha256(sbom), MediaTypes.OCI_MANIFEST, sbom),
                Fixtures.putManifest(repo, Fixtures.sha256(signature), MediaTypes.OCI_MANIFEST, signature),
                Fixtures.putManifest(repo, Fixtures.sha256(sbomIndex), MediaTypes.OCI_INDEX, sbomIndex));
    }

    @Test
    void referrersAreAnIndexOfDescriptors() {
        Scene s = scene();
        Response response = given().get(url(s.repo(), s.subject().digest()));
        response.then().statusCode(200)
                .header("Content-Type", MediaTypes.OCI_INDEX)
                .body("schemaVersion", equalTo(2))
                .body("mediaType", equalTo(MediaTypes.OCI_INDEX))
                .body("manifests", hasSize(3))
                .body("manifests.digest", containsInAnyOrder(s.sbom().digest(), s.signature().digest(), s.sbomIndex().digest()))
                .body("manifests.find { it.digest == '" + s.sbom().digest() + "' }.mediaType", equalTo(MediaTypes.OCI_MANIFEST))
                .body("manifests.find { it.digest == '" + s.sbom().digest() + "' }.size", equalTo((int) s.sbom().size()))
                .body("manifests.find { it.digest == '" + s.sbom().digest() + "' }.artifactType", equalTo(SBOM))
                .body("manifests.find { it.digest == '" + s.sbom().digest() + "' }.annotations",
                        equalTo(java.util.Map.of("org.opencontainers.image.created", "2024-01-01T00:00:00Z")))
                .body("manifests.find { it.digest == '" + s.signature().digest() + "' }.artifactType", equalTo(SIGNATURE_CONFIG))
                .body("manifests.find { it.digest == '" + s.sbomIndex().digest() + "' }.mediaType", equalTo(MediaTypes.OCI_INDEX))
                .body("manifests.find { it.digest == '" + s.sbomIndex().digest() + "' }.artifactType", equalTo(SBOM));
        assertNull(response.header("OCI-Filters-Applied"));
    }

    @Test
    void artifactTypeFilters() {
        Scene s = scene();
        given().queryParam("artifactType", SBOM).get(url(s.repo(), s.subject().digest())).then()
                .statusCode(200)
                .header("Content-Type", MediaTypes.OCI_INDEX)
                .header("OCI-Filters-Applied", "artifactType")
                .body("manifests.digest", containsInAnyOrder(s.sbom().digest(), s.sbomIndex().digest()));
        given().queryParam("artifactType", "application/vnd.example.none").get(url(s.repo(), s.subject().digest())).then()
                .statusCode(200)
                .header("OCI-Filters-Applied", "artifactType")
                .body("manifests", empty());
    }

    @Test
    void unknownSubjectHasAnEmptyList() {
        Scene s = scene();
        for (String repo : new String[] {s.repo(), Fixtures.repo("nothing")}) {
            given().get(url(repo, Fixtures.absentDigest())).then()
                    .statusCode(200)
                    .header("Content-Type", MediaTypes.OCI_INDEX)
                    .body("schemaVersion", equalTo(2))
                    .body("manifests", empty());
        }
        // referrers are per repository
        given().get(url(Fixtures.repo("other"), s.subject().digest())).then().statusCode(200).body("manifests", empty());
    }

    @Test
    void deletedReferrerDisappears() {
        Scene s = scene();
        given().delete("/v2/" + s.repo() + "/manifests/" + s.sbom().digest()).then().statusCode(202);
        given().get(url(s.repo(), s.subject().digest())).then()
                .statusCode(200)
                .body("manifests.digest", containsInAnyOrder(s.signature().digest(), s.sbomIndex().digest()));
    }

    @Test
    void referrersOfAMissingSubjectAreListed() {
        String repo = Fixtures.repo("dangling");
        Descriptor subject = Descriptor.of(MediaTypes.OCI_MANIFEST, Fixtures.bytes(30));
        Descriptor empty = Fixtures.pushBlob(repo, MediaTypes.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8));
        byte[] sbom = Fixtures.image(MediaTypes.OCI_MANIFEST).artifactType(SBOM).config(empty).subject(subject).bytes();
        Descriptor referrer = Fixtures.putManifest(repo, "sbom", MediaTypes.OCI_MANIFEST, sbom);
        given().get(url(repo, subject.digest())).then().statusCode(200)
                .body("manifests.digest", containsInAnyOrder(referrer.digest()));
    }

    @Test
    void invalidDigestIs400() {
        error(given().get(url(Fixtures.repo("bad"), "sha256:nothex")).then(), 400, "DIGEST_INVALID");
        error(given().get(url("Bad", Fixtures.absentDigest())).then(), 400, "NAME_INVALID");
    }
}
