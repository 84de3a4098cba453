package dev.registrymesh.registry.http;

import static dev.registrymesh.registry.Fixtures.error;
import static dev.registrymesh.registry.Fixtures.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.registry.Fixtures;
import dev.registrymesh.registry.Fixtures.Descriptor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** end-3 (GET/HEAD), end-7 (PUT) and end-9 (DELETE) of manifests. */
@QuarkusTest
class ManifestsTest {
    private static final int MAX = 4 * 1024 * 1024;
    private static final List<String> ALL_TYPES = List.of(MediaTypes.DOCKER_MANIFEST_V2, MediaTypes.DOCKER_MANIFEST_LIST,
            MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX);

    private static String url(String repo, String reference) {
        return "/v2/" + repo + "/manifests/" + reference;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An OCI manifest whose blobs are in {@code repo}, written by hand with odd whitespace. */
    private static byte[] oddlyFormatted(String repo, int padding) {
        Descriptor config = Fixtures.pushBlob(repo, MediaTypes.OCI_CONFIG, utf8("{\"os\":\"linux\"}"));
        Descriptor layer = Fixtures.pushBlob(repo, Fixtures.bytes(64));
        String head = "{\n\t\"schemaVersion\" :  2 ,\r\n  \"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\n"
                + "  \"config\": {\"mediaType\": \"" + config.mediaType() + "\", \"digest\": \"" + config.digest() + "\", \"size\": " + config.size() + "},\n"
                + "  \"layers\" : [ {\"size\":" + layer.size() + ",\"digest\":\"" + layer.digest() + "\",\"mediaType\":\"" + layer.mediaType() + "\"} ]";
        String tail = "\n}\n";
        int fill = padding < 0 ? 3 : padding - utf8(head).length - utf8(tail).length;
        return utf8(head + " ".repeat(fill) + tail);
    }

    @Test
    void putByTagKeepsTheExactBytes() {
        String repo = Fixtures.repo("exact");
        byte[] manifest = oddlyFormatted(repo, -1);
        String digest = Fixtures.sha256(manifest);
        given().contentType(MediaTypes.OCI_MANIFEST).body(manifest).put(url(repo, "v1")).then()
                .statusCode(201)
                .header("Location", url(repo, digest))
                .header("Docker-Content-Digest", digest);

        for (String reference : new String[] {"v1", digest}) {
            byte[] got = given().accept(MediaTypes.OCI_MANIFEST).get(url(repo, reference)).then()
                    .statusCode(200)
                    .header("Content-Type", MediaTypes.OCI_MANIFEST)
                    .header("Docker-Content-Digest", digest)
                    .header("Content-Length", String.valueOf(manifest.length))
                    .extract().asByteArray();
            assertArrayEquals(manifest, got);
            given().accept(MediaTypes.OCI_MANIFEST).head(url(repo, reference)).then()
                    .statusCode(200)
                    .header("Content-Type", MediaTypes.OCI_MANIFEST)
                    .header("Docker-Content-Digest", digest)
                    .header("Content-Length", String.valueOf(manifest.length));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256", "sha512"})
    void putByDigest(String algorithm) {
        String repo = Fixtures.repo("bydigest");
        byte[] manifest = oddlyFormatted(repo, -1);
        String digest = algorithm.equals("sha256") ? Fixtures.sha256(manifest) : Fixtures.sha512(manifest);
        given().contentType(MediaTypes.OCI_MANIFEST).body(manifest).put(url(repo, digest)).then()
                .statusCode(201)
                .header("Location", url(repo, digest))
                .header("Docker-Content-Digest", digest);
        assertArrayEquals(manifest, given().accept(MediaTypes.OCI_MANIFEST).get(url(repo, digest)).then()
                .statusCode(200).header("Docker-Content-Digest", digest).extract().asByteArray());
    }

    @Test
    void fourMebibytesAreAcceptedAndOneByteMoreIs413() {
        String repo = Fixtures.repo("size");
        byte[] largest = oddlyFormatted(repo, MAX);
        assertEquals(MAX, largest.length);
        given().contentType(MediaTypes.OCI_MANIFEST).body(largest).put(url(repo, "largest")).then().statusCode(201);
        assertArrayEquals(largest, given().accept(MediaTypes.OCI_MANIFEST).get(url(repo, "largest")).then().statusCode(200)
                .extract().asByteArray());

        byte[] tooBig = oddlyFormatted(repo, MAX + 1);
        given().contentType(MediaTypes.OCI_MANIFEST).body(tooBig).put(url(repo, "toobig")).then().statusCode(413);
        // without Content-Length (chunked transfer coding) the limit holds while the body is read
        given().contentType(MediaTypes.OCI_MANIFEST).body(new ByteArrayInputStream(tooBig)).put(url(repo, "toobig")).then().statusCode(413);
        error(given().accept(MediaTypes.OCI_MANIFEST).get(url(repo, "toobig")).then(), 404, "MANIFEST_UNKNOWN");
    }

    /** A manifest whose config, one layer, or index child is not in the repository is refused. */
    @ParameterizedTest
    @ValueSource(strings = {"config", "layer", "other-repository", "child"})
    void missingReferencedContentIsManifestBlobUnknown(String missing) {
        String repo = Fixtures.repo("missing");
        Descriptor config = Fixtures.pushBlob(repo, MediaTypes.OCI_CONFIG, utf8("{}"));
        Descriptor layer = Fixtures.pushBlob(repo, Fixtures.bytes(32));
        Descriptor absent = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Fixtures.bytes(32));
        Descriptor elsewhere = Fixtures.pushBlob(Fixtures.repo("elsewhere"), Fixtures.bytes(32));
        byte[] manifest = switch (missing) {
            case "config" -> Fixtures.image(MediaTypes.OCI_MANIFEST).config(Descriptor.of(MediaTypes.OCI_CONFIG, utf8("{\"x\":1}"))).layer(layer).bytes();
            case "layer" -> Fixtures.image(MediaTypes.OCI_MANIFEST).config(config).layer(layer).layer(absent).bytes();
            case "other-repository" -> Fixtures.image(MediaTypes.OCI_MANIFEST).config(config).layer(elsewhere).bytes();
            default -> Fixtures.index(MediaTypes.OCI_INDEX)
                    .manifest(Fixtures.pushImage(repo, "present", MediaTypes.OCI_MANIFEST), "linux", "amd64")
                    .manifest(Descriptor.of(MediaTypes.OCI_MANIFEST, Fixtures.bytes(100)), "linux", "arm64")
                    .bytes();
        };
        String type = missing.equals("child") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        error(given().contentType(type).body(manifest).put(url(repo, "broken")).then(), 404, "MANIFEST_BLOB_UNKNOWN");
        error(given().accept(type).get(url(repo, "broken")).then(), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void layerWithUrlsNeedNotBePresent() {
        String repo = Fixtures.repo("foreign");
        Descriptor config = Fixtures.pushBlob(repo, MediaTypes.DOCKER_CONFIG, utf8("{}"));
        String foreign = Fixtures.absentDigest();
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST_V2 + "\",\"config\":{\"mediaType\":\""
                + config.mediaType() + "\",\"digest\":\"" + config.digest() + "\",\"size\":" + config.size() + "},\"layers\":[{\"mediaType\":\""
                + MediaTypes.DOCKER_FOREIGN_LAYER + "\",\"digest\":\"" + foreign + "\",\"size\":10,\"urls\":[\"https://example.invalid/layer\"]}]}";
        given().contentType(MediaTypes.DOCKER_MANIFEST_V2).body(utf8(manifest)).put(url(repo, "foreign")).then().statusCode(201);
    }

    static Stream<Arguments> invalidManifests() {
        String config = "{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Fixtures.absentDigest() + "\",\"size\":2}";
        return Stream.of(
                Arguments.of(MediaTypes.OCI_MANIFEST, "not json"),
                Arguments.of(MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2,"),
                Arguments.of(MediaTypes.OCI_MANIFEST, "[]"),
                Arguments.of(MediaTypes.OCI_MANIFEST, "{}"),
                Arguments.of(MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":1,\"config\":" + config + "}"),
                Arguments.of(MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2}"),
                Arguments.of(MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2,\"config\":" + config + ",\"layers\":{}}"),
                Arguments.of(MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x/y\",\"digest\":\"sha256:1\",\"size\":2}}"),
                Arguments.of(MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2,\"config\":{\"digest\":\"" + Fixtures.absentDigest() + "\",\"size\":2}}"),
                Arguments.of(MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x/y\",\"digest\":\"" + Fixtures.absentDigest() + "\",\"size\":-1}}"),
                Arguments.of(MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}"),
                Arguments.of(MediaTypes.OCI_INDEX, "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\"}"),
                Arguments.of("application/vnd.example+json", "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example+json\",\"config\":" + config + "}"),
                Arguments.of(MediaTypes.DOCKER_MANIFEST_V1_SIGNED, "{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"y\",\"fsLayers\":[]}"));
    }

    @ParameterizedTest
    @MethodSource("invalidManifests")
    void invalidManifestIs400(String contentType, String body) {
        error(given().contentType(contentType).body(utf8(body)).put(url(Fixtures.repo("invalid"), "bad")).then(), 400, "MANIFEST_INVALID");
    }

    @Test
    void digestInUrlThatDoesNotMatchIs400() {
        String repo = Fixtures.repo("mismatch");
        byte[] manifest = oddlyFormatted(repo, -1);
        byte[] other = Arrays.copyOf(manifest, manifest.length + 1);
        other[other.length - 1] = ' ';
        error(given().contentType(MediaTypes.OCI_MANIFEST).body(manifest).put(url(repo, Fixtures.sha256(other))).then(), 400, "DIGEST_INVALID");
        error(given().accept(MediaTypes.OCI_MANIFEST).get(url(repo, Fixtures.sha256(manifest))).then(), 404, "MANIFEST_UNKNOWN");
    }

    /**
     * A reference that is neither a valid tag nor a digest: writes are refused (400 with the reason), reads and
     * deletes find nothing (404 MANIFEST_UNKNOWN), as the v1.1.1 conformance suite wants for
     * {@code .INVALID_MANIFEST_NAME}.
     */
    @ParameterizedTest
    @CsvSource({
            ".INVALID_MANIFEST_NAME, TAG_INVALID",
            ".hidden,                TAG_INVALID",
            "-dash,                  TAG_INVALID",
            "a+b,                    TAG_INVALID",
            "tag!,                   TAG_INVALID",
            "x129xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx, TAG_INVALID",
            "sha256:zz,              DIGEST_INVALID",
            "sha256:abc,             DIGEST_INVALID",
            "sha256:baddigeststring, DIGEST_INVALID",
            "md5:d41d8cd98f00b204e9800998ecf8427e, DIGEST_INVALID",
            "sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA, DIGEST_INVALID",
    })
    void impossibleReferenceIsRefusedOnWriteAndNotFoundOnReadAndDelete(String reference, String writeCode) {
        String repo = Fixtures.repo("badref");
        Fixtures.pushImage(repo, "v1", MediaTypes.OCI_MANIFEST); // the repository exists: only the reference is wrong
        byte[] manifest = oddlyFormatted(repo, -1);
        error(given().contentType(MediaTypes.OCI_MANIFEST).body(manifest).put(url(repo, reference)).then(), 400, writeCode);
        if (writeCode.equals("TAG_INVALID")) {
            error(given().contentType(MediaTypes.OCI_MANIFEST).body(manifest).queryParam("tag", reference)
                    .put(url(repo, Fixtures.sha256(manifest))).then(), 400, "TAG_INVALID");
        }
        error(given().accept(MediaTypes.OCI_MANIFEST).get(url(repo, reference)).then(), 404, "MANIFEST_UNKNOWN");
        given().accept(MediaTypes.OCI_MANIFEST).head(url(repo, reference)).then().statusCode(404);
        error(given().delete(url(repo, reference)).then(), 404, "MANIFEST_UNKNOWN");
        given().accept(MediaTypes.OCI_MANIFEST).get(url(repo, "v1")).then().statusCode(200);
    }

    @Test
    void manifestIsReadableThroughTheBlobEndpointWithTheApiVersion() {
        String repo = Fixtures.repo("asblob");
        Descriptor image = Fixtures.pushImage(repo, "v1", MediaTypes.OCI_MANIFEST);
        byte[] manifest = given().accept(MediaTypes.OCI_MANIFEST).get(url(repo, "v1")).then().statusCode(200)
                .header("Docker-Distribution-API-Version", "registry/2.0").extract().asByteArray();
        byte[] asBlob = given().get("/v2/" + repo + "/blobs/" + image.digest()).then().statusCode(200)
                .header("Docker-Content-Digest", image.digest())
                .header("Docker-Distribution-API-Version", "registry/2.0").extract().asByteArray();
        assertArrayEquals(manifest, asBlob);
        error(given().get("/v2/" + Fixtures.repo("other") + "/blobs/" + image.digest()).then(), 404, "BLOB_UNKNOWN");
    }

    @Test
    void longestValidTag() {
        String repo = Fixtures.repo("tags");
        String tag = "A" + "b._-".repeat(31) + "xyz";
        assertEquals(128, tag.length());
        Descriptor image = Fixtures.pushImage(repo, tag, MediaTypes.OCI_MANIFEST);
        given().accept(MediaTypes.OCI_MANIFEST).head(url(repo, tag)).then().statusCode(200).header("Docker-Content-Digest", image.digest());
    }

    @Test
    void subjectNeedNotExistAndIsEchoed() {
        String repo = Fixtures.repo("subject");
        Descriptor config = Fixtures.pushBlob(repo, MediaTypes.OCI_EMPTY, utf8("{}"));
        Descriptor subject = Descriptor.of(MediaTypes.OCI_MANIFEST, Fixtures.bytes(50));
        byte[] referrer = Fixtures.image(MediaTypes.OCI_MANIFEST).artifactType("application/vnd.example.sbom").config(config)
                .subject(subject).bytes();
        given().contentType(MediaTypes.OCI_MANIFEST).body(referrer).put(url(repo, Fixtures.sha256(referrer))).then()
                .statusCode(201)
                .header("OCI-Subject", subject.digest())
                .header("Docker-Content-Digest", Fixtures.sha256(referrer));
        // no subject, no header
        Descriptor plain = Fixtures.pushImage(repo, null, MediaTypes.OCI_MANIFEST);
        assertNull(given().contentType(MediaTypes.OCI_MANIFEST)
                .body(given().accept(MediaTypes.OCI_MANIFEST).get(url(repo, plain.digest())).asByteArray())
                .put(url(repo, "again")).then().statusCode(201).extract().header("OCI-Subject"));
    }

    /** Pushes a manifest of each type under the tag "it"; indexes list an amd64 and an arm64 image. */
    private static Descriptor pushOfType(String repo, String type) {
        if (!MediaTypes.isIndex(type)) {
            return Fixtures.pushImage(repo, "it", type);
        }
        String childType = type.equals(MediaTypes.OCI_INDEX) ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST_V2;
        Descriptor arm = Fixtures.pushImage(repo, null, childType);
        Descriptor amd = Fixtures.pushImage(repo, null, childType);
        return Fixtures.putManifest(repo, "it", type,
                Fixtures.index(type).manifest(arm, "linux", "arm64").manifest(amd, "linux", "amd64").bytes());
    }

    static Stream<String> allTypes() {
        return ALL_TYPES.stream();
    }

    private static ValidatableResponse fetch(String method, String repo, String reference, String accept) {
        return given().header("Accept", accept).request(method, url(repo, reference)).then();
    }

    @ParameterizedTest
    @MethodSource("allTypes")
    void acceptNegotiation(String type) {
        String repo = Fixtures.repo("accept");
        Descriptor stored = pushOfType(repo, type);
        String others = ALL_TYPES.stream().filter(t -> !t.equals(type)).reduce((a, b) -> a + ", " + b).orElseThrow();
        for (String method : new String[] {"GET", "HEAD"}) {
            // the stored type is named: alone, in a list, with parameters, or by a wildcard
            for (String accept : new String[] {type, String.join(",", ALL_TYPES), others + ", " + type + ";q=0.5", "*/*", "application/*"}) {
                fetch(method, repo, "it", accept).statusCode(200)
                        .header("Content-Type", type)
                        .header("Docker-Content-Digest", stored.digest())
                        .header("Content-Length", String.valueOf(stored.size()));
            }
            // by digest the manifest is returned as it is, whatever the client accepts
            fetch(method, repo, stored.digest(), others).statusCode(200)
                    .header("Content-Type", type)
                    .header("Docker-Content-Digest", stored.digest());
        }
        if (!MediaTypes.isIndex(type)) {
            error(fetch("GET", repo, "it", others), 404, "MANIFEST_UNKNOWN");
            fetch("HEAD", repo, "it", others).statusCode(404);
        }
    }

    /** A client that cannot read the index gets its linux/amd64 image, as CNCF Distribution answers old clients. */
    @ParameterizedTest
    @MethodSource("allTypes")
    void indexByTagFallsBackToTheLinuxAmd64Child(String type) {
        if (!MediaTypes.isIndex(type)) {
            return;
        }
        String repo = Fixtures.repo("fallback");
        Descriptor index = pushOfType(repo, type);
        byte[] indexBytes = fetch("GET", repo, index.digest(), type).extract().asByteArray();
        String childType = type.equals(MediaTypes.OCI_INDEX) ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST_V2;
        String amd64 = new JsonPath(new String(indexBytes, StandardCharsets.UTF_8))
                .getString("manifests.find { it.platform.architecture == 'amd64' }.digest");

        fetch("GET", repo, "it", childType).statusCode(200)
                .header("Content-Type", childType)
                .header("Docker-Content-Digest", amd64);
        // accepting neither the index nor its children's type leaves nothing to answer
        String unrelated = childType.equals(MediaTypes.OCI_MANIFEST) ? MediaTypes.DOCKER_MANIFEST_V2 : MediaTypes.OCI_MANIFEST;
        error(fetch("GET", repo, "it", unrelated), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void deleteByDigestRemovesTheManifestAndItsTags() {
        String repo = Fixtures.repo("delete");
        Descriptor image = Fixtures.pushImage(repo, "one", MediaTypes.OCI_MANIFEST);
        Fixtures.putManifest(repo, "two", MediaTypes.OCI_MANIFEST, given().accept(MediaTypes.OCI_MANIFEST).get(url(repo, "one")).asByteArray());
        Descriptor survivor = Fixtures.pushImage(repo, "three", MediaTypes.OCI_MANIFEST);

        given().delete(url(repo, image.digest())).then().statusCode(202);
        for (String reference : new String[] {image.digest(), "one", "two"}) {
            error(fetch("GET", repo, reference, MediaTypes.OCI_MANIFEST), 404, "MANIFEST_UNKNOWN");
            fetch("HEAD", repo, reference, MediaTypes.OCI_MANIFEST).statusCode(404);
        }
        given().get("/v2/" + repo + "/tags/list").then().statusCode(200).body("tags", not(hasItem("one")))
                .body("tags", hasItem("three"));
        fetch("GET", repo, "three", MediaTypes.OCI_MANIFEST).statusCode(200).header("Docker-Content-Digest", survivor.digest());
        error(given().delete(url(repo, image.digest())).then(), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void deleteByTagKeepsTheManifest() {
        String repo = Fixtures.repo("untag");
        Descriptor image = Fixtures.pushImage(repo, "gone", MediaTypes.DOCKER_MANIFEST_V2);

        given().delete(url(repo, "gone")).then().statusCode(202);
        error(fetch("GET", repo, "gone", MediaTypes.DOCKER_MANIFEST_V2), 404, "MANIFEST_UNKNOWN");
        fetch("GET", repo, image.digest(), MediaTypes.DOCKER_MANIFEST_V2).statusCode(200);
        error(given().delete(url(repo, "gone")).then(), 404, "MANIFEST_UNKNOWN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "DELETE"})
    void unknownManifestIs404(String method) {
        String repo = Fixtures.repo("unknown");
        Fixtures.pushImage(repo, "exists", MediaTypes.OCI_MANIFEST);
        String otherRepo = Fixtures.repo("unknown");
        Descriptor elsewhere = Fixtures.pushImage(otherRepo, "elsewhere", MediaTypes.OCI_MANIFEST);
        for (String reference : new String[] {"nope", Fixtures.absentDigest(), elsewhere.digest()}) {
            ValidatableResponse response = fetch(method, repo, reference, MediaTypes.OCI_MANIFEST);
            if (method.equals("HEAD")) {
                response.statusCode(404);
            } else {
                error(response, 404, "MANIFEST_UNKNOWN");
            }
        }
    }

    @Test
    void putByDigestWithTagParameters() {
        String repo = Fixtures.repo("multitag");
        byte[] manifest = oddlyFormatted(repo, -1);
        String digest = Fixtures.sha256(manifest);
        List<String> tags = given().contentType(MediaTypes.OCI_MANIFEST).body(manifest).queryParam("tag", "a", "b")
                .put(url(repo, digest)).then()
                .statusCode(201)
                .header("Docker-Content-Digest", digest)
                .extract().headers().getValues("OCI-Tag");
        assertEquals(List.of("a", "b"), tags);
        for (String tag : tags) {
            fetch("GET", repo, tag, MediaTypes.OCI_MANIFEST).statusCode(200).header("Docker-Content-Digest", digest);
        }
    }

    @Test
    void retaggingMovesTheTag() {
        String repo = Fixtures.repo("retag");
        Fixtures.pushImage(repo, "latest", MediaTypes.OCI_MANIFEST);
        Descriptor second = Fixtures.pushImage(repo, "latest", MediaTypes.OCI_MANIFEST);
        fetch("GET", repo, "latest", MediaTypes.OCI_MANIFEST).statusCode(200).header("Docker-Content-Digest", second.digest());
    }
}
