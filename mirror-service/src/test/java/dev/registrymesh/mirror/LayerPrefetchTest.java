package dev.registrymesh.mirror;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestImages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Layers fetched ahead: when an image manifest goes through the mirror, its config and layers start downloading
 * before the client asks, within a byte budget, for the platform the client chose only; a failure stays the
 * fill's, and a client that goes away leaves a warm cache. The upstream's request counts tell what happened.
 */
@QuarkusTest
@QuarkusTestResource(value = PrefetchUpstreamTestResource.class, restrictToAnnotatedClass = true)
class LayerPrefetchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String ACCEPT = "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json";
    private static Path work;

    @TestHTTPResource("/")
    URL mirror;

    @BeforeAll
    static void prepare() throws IOException {
        Assumptions.assumeTrue(Skopeo.available(), "skopeo is not installed");
        work = Files.createTempDirectory("mirror-prefetch-");
    }

    private static TestImages.Image push(String repository, long seed, int layers, int layerSize) {
        TestImages.Image image = TestImages.writeImage(work.resolve(repository.replace('/', '-')), seed, layers, layerSize, "v1");
        Skopeo.copy(image.ociRef(), "docker://" + FaultyUpstreamTestResource.registry.hostPort() + "/" + repository + ":v1").orFail();
        return image;
    }

    @Test
    void theLayersOfAnImageAreOnTheirWayBeforeTheClientAsks() throws Exception {
        TestImages.Image image = push("team/ahead", 41, 2, 300_000);
        assertEquals(200, get("/v2/team/ahead/manifests/v1").statusCode());
        for (TestImages.Blob blob : image.plainBlobs()) {
            awaitTrue(() -> upstreamGets("team/ahead", blob.digest()) == 1, blob.digest() + " fetched ahead: " + counts());
        }
        for (TestImages.Blob blob : image.plainBlobs()) {
            HttpResponse<byte[]> answer = getBytes("/v2/team/ahead/blobs/" + blob.digest());
            assertEquals(200, answer.statusCode());
            assertArrayEquals(Files.readAllBytes(blob.file()), answer.body());
            assertEquals(1, upstreamGets("team/ahead", blob.digest()), "the client took the prefetched copy");
        }
    }

    @Test
    void anIndexStartsNothingUntilTheClientChoosesItsPlatform() throws Exception {
        TestImages.Image index = TestImages.writeIndex(work.resolve("multi"), 42, List.of("linux/arm64", "linux/amd64"), 1, 50_000, "v1");
        Skopeo.copy(index.ociRef(), "docker://" + FaultyUpstreamTestResource.registry.hostPort() + "/team/multi:v1", "--all").orFail();
        assertEquals(200, get("/v2/team/multi/manifests/v1").statusCode());
        Thread.sleep(1000);
        List<String> children = new ArrayList<>();
        for (JsonNode child : JSON.readTree(index.manifest().bytes()).path("manifests")) {
            children.add(child.path("digest").asText());
        }
        for (String child : children) {
            for (String blob : blobsOf(index, child)) {
                assertEquals(0, upstreamGets("team/multi", blob), "no platform chosen yet: " + counts());
            }
        }
        String chosen = children.get(1);
        assertEquals(200, get("/v2/team/multi/manifests/" + chosen).statusCode());
        for (String blob : blobsOf(index, chosen)) {
            awaitTrue(() -> upstreamGets("team/multi", blob) == 1, blob + " of the chosen platform");
        }
        for (String blob : blobsOf(index, children.get(0))) {
            assertEquals(0, upstreamGets("team/multi", blob), "the other platform stays upstream");
        }
    }

    @Test
    void theByteBudgetBoundsWhatIsFetchedAhead() throws Exception {
        TestImages.Image image = push("team/big", 43, 1, (int) PrefetchUpstreamTestResource.BUDGET * 2);
        TestImages.Blob layer = image.plainBlobs().stream().filter(b -> b.size() > PrefetchUpstreamTestResource.BUDGET)
                .findFirst().orElseThrow();
        assertEquals(200, get("/v2/team/big/manifests/v1").statusCode());
        Thread.sleep(1000);
        assertEquals(0, upstreamGets("team/big", layer.digest()), "over the budget: left for the client");
        assertEquals(200, getBytes("/v2/team/big/blobs/" + layer.digest()).statusCode());
        assertEquals(1, upstreamGets("team/big", layer.digest()));
    }

    @Test
    void aLayerTheUpstreamRefusesFailsOnlyForTheClientWhoAsks() throws Exception {
        TestImages.Image image = push("team/refused", 44, 1, 20_000);
        TestImages.Blob layer = image.plainBlobs().get(0);
        FaultyUpstreamTestResource.proxy.fail(HttpMethod.GET, "/blobs/", FaultyUpstream.Fault.UNAVAILABLE);
        try {
            assertEquals(200, get("/v2/team/refused/manifests/v1").statusCode(), "the manifest itself is served");
            awaitTrue(() -> upstreamGets("team/refused", layer.digest()) >= 1, "the prefetch tried");
            HttpResponse<String> refused = get("/v2/team/refused/blobs/" + layer.digest());
            assertTrue(refused.statusCode() >= 500 || refused.statusCode() == 404, refused.statusCode() + " " + refused.body());
            assertTrue(refused.body().contains("\"errors\""), refused.body());
        } finally {
            FaultyUpstreamTestResource.proxy.heal();
        }
        HttpResponse<byte[]> healed = getBytes("/v2/team/refused/blobs/" + layer.digest());
        assertEquals(200, healed.statusCode());
        assertArrayEquals(Files.readAllBytes(layer.file()), healed.body());
    }

    @Test
    void aClientThatGoesAwayLeavesTheLayersCached() throws Exception {
        TestImages.Image image = push("team/aborted", 45, 2, 100_000);
        try (Socket socket = new Socket(mirror.getHost(), mirror.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v2/team/aborted/manifests/v1 HTTP/1.1\r\nHost: " + mirror.getHost() + ":" + mirror.getPort()
                    + "\r\nAccept: " + ACCEPT + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            assertTrue(in.read(new byte[12]) > 0, "the status line came");
        }
        for (TestImages.Blob blob : image.plainBlobs()) {
            awaitTrue(() -> upstreamGets("team/aborted", blob.digest()) == 1, blob.digest());
        }
        for (TestImages.Blob blob : image.plainBlobs()) {
            assertEquals(200, getBytes("/v2/team/aborted/blobs/" + blob.digest()).statusCode());
            assertEquals(1, upstreamGets("team/aborted", blob.digest()), "served from the warm cache");
        }
    }

    // --- helpers ---

    private static List<String> blobsOf(TestImages.Image index, String manifestDigest) throws IOException {
        TestImages.Blob manifest = index.blobs().stream().filter(b -> b.digest().equals(manifestDigest)).findFirst().orElseThrow();
        JsonNode root = JSON.readTree(manifest.bytes());
        List<String> out = new ArrayList<>();
        out.add(root.path("config").path("digest").asText());
        root.path("layers").forEach(l -> out.add(l.path("digest").asText()));
        return out;
    }

    private static int upstreamGets(String repository, String digest) {
        return FaultyUpstreamTestResource.proxy.count(HttpMethod.GET, "/v2/" + repository + "/blobs/" + digest);
    }

    private static String counts() {
        return FaultyUpstreamTestResource.proxy.counts().toString();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return HTTP.send(request(path), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://" + mirror.getHost() + ":" + mirror.getPort() + path))
                .header("Accept", ACCEPT).build();
    }
}
