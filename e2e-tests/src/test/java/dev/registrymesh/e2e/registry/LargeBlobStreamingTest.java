package dev.registrymesh.e2e.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.TestImages;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Heap use must not grow with blob size: a registry limited to a 128 MiB heap takes and serves a 1 GiB blob,
 * once in Docker's stream mode (PATCH without Content-Range) and once monolithically.
 */
class LargeBlobStreamingTest {
    private static final long SIZE = 1L << 30;
    private static ServiceProcess registry;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() {
        registry = ServiceProcess.builder("registry-service").env("MESH_AUTH_ENABLED", "false").jvmArg("-Xmx128m").start();
    }

    @AfterAll
    static void stop() {
        Closing.all(registry);
    }

    @Test
    void streamModeUploadAndDownloadOfOneGibibyte() throws Exception {
        String digest = digestOf(TestImages.randomStream(1, SIZE));
        HttpResponse<Void> started = send(HttpRequest.newBuilder(uri("/v2/big/stream/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(202, started.statusCode());
        String location = started.headers().firstValue("Location").orElseThrow();

        HttpResponse<Void> patched = send(HttpRequest.newBuilder(uri(location))
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> TestImages.randomStream(1, SIZE)))
                .header("Content-Type", "application/octet-stream"));
        assertEquals(202, patched.statusCode(), registry.log());
        assertEquals("0-" + (SIZE - 1), patched.headers().firstValue("Range").orElseThrow());

        HttpResponse<Void> closed = send(HttpRequest.newBuilder(uri(location + "?digest=" + digest))
                .PUT(HttpRequest.BodyPublishers.noBody()));
        assertEquals(201, closed.statusCode(), registry.log());

        assertDownloadMatches("/v2/big/stream/blobs/" + digest, digest);
    }

    @Test
    void monolithicUploadOfOneGibibyte() throws Exception {
        String digest = digestOf(TestImages.randomStream(2, SIZE));
        HttpResponse<Void> put = send(HttpRequest.newBuilder(uri("/v2/big/mono/blobs/uploads/?digest=" + digest))
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> TestImages.randomStream(2, SIZE)), SIZE)));
        assertEquals(201, put.statusCode(), registry.log());
        assertDownloadMatches("/v2/big/mono/blobs/" + digest, digest);
    }

    private static void assertDownloadMatches(String path, String digest) throws Exception {
        HttpResponse<InputStream> got = HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, got.statusCode());
        assertEquals(Long.toString(SIZE), got.headers().firstValue("Content-Length").orElseThrow());
        try (InputStream body = got.body()) {
            assertEquals(digest, digestOf(body));
        }
        assertEquals(true, registry.isAlive(), "the registry survived: " + registry.log());
    }

    private static HttpResponse<Void> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static URI uri(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : registry.url() + pathOrUrl);
    }

    private static String digestOf(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream digesting = new DigestInputStream(in, sha)) {
            digesting.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }
}
