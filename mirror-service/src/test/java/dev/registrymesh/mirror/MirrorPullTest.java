package dev.registrymesh.mirror;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestImages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The mirror in front of a real Distribution registry: routing, read-only answers, streaming fills shared by
 * concurrent clients, tag revalidation and stale-if-error. Ordered: the last tests stop the upstream.
 */
@QuarkusTest
@QuarkusTestResource(value = UpstreamTestResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MirrorPullTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static TestImages.Image image;
    private static TestImages.Image multiArch;
    private static Path work;

    @TestHTTPResource("/")
    URL mirror;

    @BeforeAll
    static void pushToUpstream() throws IOException {
        Assumptions.assumeTrue(Skopeo.available(), "skopeo is not installed");
        work = Files.createTempDirectory("mirror-test-");
        image = TestImages.writeImage(work.resolve("img"), 11, 3, 400_000, "v1");
        String up = UpstreamTestResource.upstream.hostPort();
        Skopeo.copy(image.ociRef(), "docker://" + up + "/team/app:v1").orFail();
        Skopeo.copy(image.ociRef(), "docker://" + up + "/team/app:moving").orFail();
        multiArch = TestImages.writeIndex(work.resolve("multi"), 12, List.of("linux/arm64", "linux/amd64"), 1, 1000, "v1");
        Skopeo.copy(multiArch.ociRef(), "docker://" + up + "/team/multi:v1", "--all").orFail();
    }

    private String hostPort() {
        return mirror.getHost() + ":" + mirror.getPort();
    }

    @Test
    @Order(1)
    void apiVersion() {
        given().get("/v2/").then().statusCode(200).header("Docker-Distribution-API-Version", "registry/2.0");
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource({
            "POST,   /v2/team/app/blobs/uploads/,                  405, UNSUPPORTED",
            "PUT,    /v2/team/app/manifests/v1,                    405, UNSUPPORTED",
            "DELETE, /v2/team/app/manifests/v1,                    405, UNSUPPORTED",
            "PATCH,  /v2/team/app/blobs/uploads/abc,               405, UNSUPPORTED",
            "GET,    /v2/team/app/manifests/v1?ns=nowhere.example, 404, NAME_UNKNOWN",
            "GET,    /v2/nowhere.example/team/app/manifests/v1,    404, NAME_UNKNOWN",
            "GET,    /v2/Team/app/manifests/v1,                    400, NAME_INVALID",
            "GET,    /v2/team/app/blobs/sha256:abc,                400, DIGEST_INVALID",
            "GET,    /v2/team/app/manifests/nosuchtag,             404, MANIFEST_UNKNOWN",
            "GET,    /v2/team/app/whatever,                        404, NAME_UNKNOWN",
    })
    @Order(2)
    void errors(String method, String path, int status, String code) {
        given().request(method, path).then().statusCode(status)
                .header("Content-Type", startsWith("application/json"))
                .body("errors[0].code", equalTo(code));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/v2/team/app/manifests/v1,",
            "/v2/team/app/manifests/v1?ns=registry.test, registry.test",
            "/v2/registry.test/team/app/manifests/v1,",
    })
    @Order(3)
    void threeWaysToNameTheUpstream(String path, String namespace) {
        var response = given().get(path).then().statusCode(200)
                .header("Docker-Content-Digest", image.manifest().digest())
                .extract();
        assertArrayEquals(image.manifest().bytes(), response.asByteArray());
        assertEquals(namespace, response.header("OCI-Namespace"));
    }

    /** By tag, a client that cannot read an index gets its linux/amd64 image (the children are OCI manifests). */
    @ParameterizedTest(name = "Accept {0} -> {1}")
    @CsvSource({
            "application/vnd.oci.image.index.v1+json,                  index",
            "*/*,                                                      index",
            "application/vnd.oci.image.manifest.v1+json,               linux/amd64",
            "'application/vnd.docker.distribution.manifest.v2+json',   none",
    })
    @Order(3)
    void manifestTypesAreNegotiatedByTag(String accept, String expected) throws IOException {
        var response = given().header("Accept", accept).get("/v2/team/multi/manifests/v1");
        if (expected.equals("none")) {
            response.then().statusCode(404).body("errors[0].code", equalTo("MANIFEST_UNKNOWN"));
            return;
        }
        String digest = expected.equals("index") ? multiArch.manifest().digest() : amd64Child();
        response.then().statusCode(200).header("Docker-Content-Digest", digest);
        // By digest the index is served as it is, whatever the client accepts.
        given().header("Accept", accept).get("/v2/team/multi/manifests/" + multiArch.manifest().digest())
                .then().statusCode(200).header("Docker-Content-Digest", multiArch.manifest().digest());
    }

    private static String amd64Child() throws IOException {
        var index = new com.fasterxml.jackson.databind.ObjectMapper().readTree(multiArch.manifest().bytes());
        for (var child : index.path("manifests")) {
            if (child.path("platform").path("architecture").asText().equals("amd64")) {
                return child.path("digest").asText();
            }
        }
        throw new AssertionError("no amd64 child in the test index");
    }

    @Test
    @Order(4)
    void skopeoPullsBitIdentical() throws IOException {
        Path pulled = work.resolve("pulled");
        Skopeo.copy("docker://" + hostPort() + "/team/app:v1", "oci:" + pulled + ":v1").orFail();
        for (TestImages.Blob blob : image.blobs()) {
            Path file = pulled.resolve("blobs").resolve(blob.digest().replace(':', '/'));
            assertArrayEquals(blob.bytes(), Files.readAllBytes(file), blob.digest());
        }
    }

    @Test
    @Order(5)
    void concurrentColdPullsShareOneUpstreamGet() throws Exception {
        TestImages.Image big = TestImages.writeImage(work.resolve("big"), 99, 1, 8_000_000, "v1");
        Skopeo.copy(big.ociRef(), "docker://" + UpstreamTestResource.upstream.hostPort() + "/team/big:v1").orFail();
        TestImages.Blob layer = big.plainBlobs().stream().max(java.util.Comparator.comparingLong(TestImages.Blob::size)).orElseThrow();
        double fetchedBefore = fetchedBytes();
        List<CompletableFuture<HttpResponse<byte[]>>> pulls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(mirror + "v2/team/big/blobs/" + layer.digest())).build();
            pulls.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()));
        }
        byte[] expected = layer.bytes();
        for (var pull : pulls) {
            HttpResponse<byte[]> response = pull.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertArrayEquals(expected, response.body());
        }
        // Distribution does not log blob GETs at info level, so the mirror's own count of fetched bytes tells.
        assertEquals(layer.size(), fetchedBytes() - fetchedBefore, 1e-3, "bytes fetched upstream: one copy of the layer");
        // Cached now: served with no upstream call, ranges too.
        given().header("Range", "bytes=10-19").get("/v2/team/big/blobs/" + layer.digest()).then().statusCode(206)
                .header("Content-Range", "bytes 10-19/" + layer.size());
        assertEquals(layer.size(), fetchedBytes() - fetchedBefore, 1e-3);
    }

    @Test
    @Order(5)
    void aClientThatHangsUpDoesNotStopTheFill() throws Exception {
        TestImages.Image big = TestImages.writeImage(work.resolve("hangup"), 77, 1, 6_000_000, "h");
        Skopeo.copy(big.ociRef(), "docker://" + UpstreamTestResource.upstream.hostPort() + "/team/hangup:h").orFail();
        TestImages.Blob layer = big.plainBlobs().stream().max(java.util.Comparator.comparingLong(TestImages.Blob::size)).orElseThrow();
        double before = fetchedBytes();
        try (java.net.Socket socket = new java.net.Socket(mirror.getHost(), mirror.getPort())) {
            socket.getOutputStream().write(("GET /v2/team/hangup/blobs/" + layer.digest() + " HTTP/1.1\r\nHost: mirror\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getInputStream().readNBytes(1000); // the first bytes arrive, then the client is gone
        }
        long deadline = System.currentTimeMillis() + 20_000;
        while (fetchedBytes() - before < layer.size() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(layer.size(), fetchedBytes() - before, 1e-3, "the fill completed without its client");
        byte[] served = given().get("/v2/team/hangup/blobs/" + layer.digest()).then().statusCode(200).extract().asByteArray();
        assertArrayEquals(layer.bytes(), served);
        assertEquals(layer.size(), fetchedBytes() - before, 1e-3, "then served from the cache");
    }

    /** One client stalls early while another finishes the download: the first goes on from the file, intact. */
    @Test
    @Order(5)
    void aClientThatFallsBehindContinuesFromTheFile() throws Exception {
        TestImages.Image big = TestImages.writeImage(work.resolve("behind"), 55, 1, 8_000_000, "b");
        Skopeo.copy(big.ociRef(), "docker://" + UpstreamTestResource.upstream.hostPort() + "/team/behind:b").orFail();
        TestImages.Blob layer = big.plainBlobs().stream().max(java.util.Comparator.comparingLong(TestImages.Blob::size)).orElseThrow();
        HttpRequest request = HttpRequest.newBuilder(URI.create(mirror + "v2/team/behind/blobs/" + layer.digest())).build();
        try (java.io.InputStream slow = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream()).body()) {
            byte[] head = slow.readNBytes(64 * 1024);
            assertArrayEquals(layer.bytes(), HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray()).body(), "the client that kept up");
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            all.write(head);
            slow.transferTo(all);
            assertArrayEquals(layer.bytes(), all.toByteArray(), "the client that fell behind");
        }
    }

    @Test
    @Order(6)
    void tagMovedUpstreamIsSeenAfterTheTtl() throws Exception {
        String first = given().get("/v2/team/app/manifests/moving").then().statusCode(200).extract().header("Docker-Content-Digest");
        TestImages.Image other = TestImages.writeImage(work.resolve("other"), 12, 1, 1000, "moving");
        Skopeo.copy(other.ociRef(), "docker://" + UpstreamTestResource.upstream.hostPort() + "/team/app:moving").orFail();
        assertEquals(first, given().get("/v2/team/app/manifests/moving").then().statusCode(200).extract().header("Docker-Content-Digest"),
                "within the TTL the cached tag is served");
        Thread.sleep(2200);
        String moved = given().get("/v2/team/app/manifests/moving").then().statusCode(200).extract().header("Docker-Content-Digest");
        assertEquals(other.manifest().digest(), moved);
        assertNotEquals(first, moved);
    }

    @Test
    @Order(7)
    void tagsListPassesThrough() {
        given().get("/v2/team/app/tags/list").then().statusCode(200).body("tags", org.hamcrest.Matchers.hasItems("v1", "moving"));
    }

    @Test
    @Order(8)
    void prefetchWarmsAndPinsWholeImages() throws IOException {
        TestImages.Image warm = TestImages.writeImage(work.resolve("warm"), 21, 2, 50_000, "w1");
        Skopeo.copy(warm.ociRef(), "docker://" + UpstreamTestResource.upstream.hostPort() + "/team/warm:w1").orFail();
        given().contentType("application/json")
                .body("{\"references\":[\"registry.test/team/warm:w1\",\"nowhere.example/x:1\",\"Bad Ref\"],\"pin\":true}")
                .post("/admin/v1/prefetch").then().statusCode(200)
                .body("results[0].items", equalTo(warm.blobs().size()))
                .body("results[0].pinned", equalTo(true))
                .body("results[1].error", org.hamcrest.Matchers.containsString("no upstream"))
                .body("results[2].error", org.hamcrest.Matchers.notNullValue());
        given().post("/admin/v1/prefetch").then().statusCode(400);
    }

    @Test
    @Order(9)
    void readinessNamesTheIndex() {
        given().get(dev.registrymesh.testkit.Management.url("/q/health/ready")).then().statusCode(200)
                .body("checks.find { it.name == 'mirror-cluster' }.data.index", equalTo("embedded"))
                .body("checks.find { it.name == 'mirror-cluster' }.data.state", equalTo("ok"));
    }

    @Test
    @Order(10)
    void upstreamDownServesCachedContentStale() throws Exception {
        UpstreamTestResource.upstream.stop();
        Thread.sleep(2200); // past the tag TTL
        given().get("/v2/team/app/manifests/v1").then().statusCode(200)
                .header("Docker-Content-Digest", image.manifest().digest())
                .header("Warning", startsWith("110 "));
        given().get("/v2/team/app/manifests/" + image.manifest().digest()).then().log().ifValidationFails().statusCode(200);
        for (TestImages.Blob blob : image.plainBlobs()) {
            given().get("/v2/team/app/blobs/" + blob.digest()).then().statusCode(200);
        }
        given().get("/v2/team/app/tags/list").then().statusCode(200).header("Warning", startsWith("110 "));
        // Prefetched before the outage: the whole image is here.
        given().get("/v2/team/warm/manifests/w1").then().statusCode(200);
        given().get("/v2/team/uncached/manifests/v1").then().statusCode(503).body("errors[0].code", equalTo("UNAVAILABLE"));
        given().get("/v2/team/uncached/blobs/sha256:" + "0".repeat(64)).then().statusCode(503).body("errors[0].code", equalTo("UNAVAILABLE"));
    }

    private static double fetchedBytes() {
        String metrics = given().get(dev.registrymesh.testkit.Management.url("/q/metrics")).then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("mirror_bytes_fetched_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
