package dev.registrymesh.e2e.mirror;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.testkit.FreePort;
import dev.registrymesh.testkit.Haproxy;
import dev.registrymesh.testkit.RedisServer;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three packaged mirror nodes behind a real haproxy, sharing a real Redis, in front of the packaged
 * registry-service (reached over a slowed link, so that fetches take long enough to interfere with).
 * Ordered: later tests take parts away (a node, the upstream, Redis).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MirrorClusterTest {
    private static final String TOKEN = "e2e-internal-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path work;

    private static ServiceProcess registry;
    private static SlowLink link;
    private static RedisServer redis;
    private static final List<ServiceProcess> nodes = new ArrayList<>();
    private static Haproxy haproxy;
    private static TestImages.Image image;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Skopeo.available(), "skopeo is not installed");
        Assumptions.assumeTrue(Haproxy.available(), "haproxy is not installed");
        registry = ServiceProcess.builder("registry-service")
                .env("MESH_AUTH_ENABLED", "false")
                .env("QUARKUS_HTTP_ACCESS_LOG_ENABLED", "true")
                .jvmArg("-Xmx256m")
                .start();
        link = new SlowLink(registry.port(), 4 * 1024 * 1024);
        redis = RedisServer.start();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int port = FreePort.find();
            ports.add(port);
            nodes.add(ServiceProcess.builder("mirror-service").port(port)
                    .env("MIRROR_UPSTREAMS", "upstream.test=" + link.url())
                    .env("MIRROR_DEFAULT_UPSTREAM", "upstream.test")
                    .env("MIRROR_UPSTREAM_UPSTREAM_TEST_TAG_TTL", "2s")
                    .env("MIRROR_NODE_URL", "http://127.0.0.1:" + port)
                    .env("MIRROR_FETCH_LEASE", "3s")
                    .env("REDIS_URL", redis.url())
                    .env("MESH_AUTH_ENABLED", "false")
                    .env("MESH_INTERNAL_TOKEN", TOKEN)
                    .jvmArg("-Xmx192m")
                    .start());
        }
        haproxy = Haproxy.start(ports);
        image = TestImages.writeImage(work.resolve("src"), 2026, 3, 1_000_000, "v1");
        Skopeo.copy(image.ociRef(), "docker://" + registry.hostPort() + "/team/app:v1").orFail();
    }

    @AfterAll
    static void stop() throws IOException {
        if (haproxy != null) {
            haproxy.close();
        }
        nodes.forEach(ServiceProcess::stop);
        if (redis != null) {
            redis.stop();
        }
        if (link != null) {
            link.close();
        }
        if (registry != null) {
            registry.stop();
        }
    }

    @Test
    @Order(1)
    void twentyConcurrentColdPullsFetchEachBlobOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Skopeo.Result>> pulls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Path target = work.resolve("pull-" + i);
                pulls.add(pool.submit(() -> Skopeo.copy("docker://" + haproxy.hostPort() + "/team/app:v1", "oci:" + target + ":v1")));
            }
            for (Future<Skopeo.Result> pull : pulls) {
                pull.get().orFail();
            }
        } finally {
            pool.shutdown();
        }
        for (int i = 0; i < 20; i++) {
            assertSameBlobs(image, work.resolve("pull-" + i));
        }
        String log = registry.log();
        for (TestImages.Blob blob : image.plainBlobs()) {
            assertEquals(1, count(log, "\"GET /v2/team/app/blobs/" + blob.digest()), "upstream GETs of " + blob.digest());
        }
    }

    @Test
    @Order(2)
    void aMovedTagIsServedAfterItsTtl() throws Exception {
        TestImages.Image moved = TestImages.writeImage(work.resolve("moved"), 7, 1, 10_000, "v2");
        Skopeo.copy(moved.ociRef(), "docker://" + registry.hostPort() + "/team/app:moving").orFail();
        assertEquals(moved.manifest().digest(), manifestDigest("/v2/team/app/manifests/moving"));
        TestImages.Image next = TestImages.writeImage(work.resolve("next"), 8, 1, 10_000, "v3");
        Skopeo.copy(next.ociRef(), "docker://" + registry.hostPort() + "/team/app:moving").orFail();
        Thread.sleep(2200);
        for (int i = 0; i < 3; i++) { // round robin: every node
            assertEquals(next.manifest().digest(), manifestDigest("/v2/team/app/manifests/moving"));
        }
        // Whichever node asks first after the TTL fetches the new manifest; the others take it from the cluster.
        assertEquals(2, count(registry.log(), "\"GET /v2/team/app/manifests/moving"), "upstream GETs of the tag");
    }

    @Test
    @Order(3)
    void aNodeKilledMidFetchIsTakenOverAndRetriesSucceed() throws Exception {
        TestImages.Image big = TestImages.writeImage(work.resolve("big"), 99, 1, 16_000_000, "big");
        Skopeo.copy(big.ociRef(), "docker://" + registry.hostPort() + "/team/big:big").orFail();
        TestImages.Blob layer = big.plainBlobs().stream().max(Comparator.comparingLong(TestImages.Blob::size)).orElseThrow();
        String path = "/v2/team/big/blobs/" + layer.digest();

        ServiceProcess owner = nodes.get(0);
        CompletableFuture<HttpResponse<byte[]>> first = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(owner.url() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Thread.sleep(400);
        CompletableFuture<HttpResponse<byte[]>> follower = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(nodes.get(1).url() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Thread.sleep(1200);
        assertFalse(first.isDone(), "the fetch should still be running over the slow link");
        owner.kill();

        byte[] expected = layer.bytes();
        byte[] got = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (got == null && System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(haproxy.url() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200 && r.body().length == expected.length) {
                    got = r.body();
                }
            } catch (IOException e) {
                // cut off with the dead node: retry, as clients do
            }
            if (got == null) {
                Thread.sleep(500);
            }
        }
        assertArrayEquals(expected, got);
        // The follower's node was streaming from the dead owner: it went on from the upstream with a Range request,
        // so its client never noticed.
        HttpResponse<byte[]> r = follower.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertArrayEquals(expected, r.body(), "the follower's client got every byte, in one response");
    }

    @Test
    @Order(4)
    void withTheUpstreamDownCachedContentStillPulls() throws Exception {
        // Every live node pulls once, directly, so that each holds the whole image on its own disk.
        for (ServiceProcess node : nodes.subList(1, 3)) {
            Skopeo.copy("docker://" + node.hostPort() + "/team/app:v1", "oci:" + work.resolve("warm-" + node.port()) + ":v1").orFail();
        }
        registry.stop();
        Thread.sleep(2200); // past the tag TTL: the tag is revalidated, fails, and is served stale
        Path pulled = work.resolve("upstream-down");
        Skopeo.copy("docker://" + haproxy.hostPort() + "/team/app:v1", "oci:" + pulled + ":v1").orFail();
        assertSameBlobs(image, pulled);
        HttpResponse<String> tag = HTTP.send(HttpRequest.newBuilder(URI.create(haproxy.url() + "/v2/team/app/manifests/v1")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, tag.statusCode());
        assertTrue(tag.headers().firstValue("Warning").orElse("").startsWith("110 "), "stale tags say so");

        HttpResponse<String> uncached = HTTP.send(HttpRequest.newBuilder(URI.create(haproxy.url() + "/v2/team/other/manifests/v1")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, uncached.statusCode());
        assertTrue(uncached.body().contains("\"UNAVAILABLE\""), uncached.body());
        assertFalse(Skopeo.copy("docker://" + haproxy.hostPort() + "/team/other:v1", "oci:" + work.resolve("nothing") + ":v1").ok());
    }

    @Test
    @Order(5)
    void withRedisDownCachedContentStillPullsAndNodesSayDegraded() throws Exception {
        redis.stop();
        Path pulled = work.resolve("redis-down");
        Skopeo.copy("docker://" + haproxy.hostPort() + "/team/app:v1", "oci:" + pulled + ":v1").orFail();
        assertSameBlobs(image, pulled);
        long deadline = System.currentTimeMillis() + 10_000;
        String ready = "";
        while (System.currentTimeMillis() < deadline && !ready.contains("degraded")) {
            ready = HTTP.send(HttpRequest.newBuilder(URI.create(nodes.get(1).managementUrl() + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Thread.sleep(300);
        }
        assertTrue(ready.contains("degraded"), ready);
    }

    private static String manifestDigest(String path) throws Exception {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(haproxy.url() + path)).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, r.statusCode());
        return r.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    private static long count(String text, String needle) {
        return Pattern.compile(Pattern.quote(needle) + " ").matcher(text).results().count();
    }

    private static void assertSameBlobs(TestImages.Image expected, Path layout) throws IOException {
        for (TestImages.Blob blob : expected.blobs()) {
            Path file = layout.resolve("blobs").resolve(blob.digest().replace(':', '/'));
            assertTrue(Files.exists(file), "missing " + blob.digest() + " in " + layout);
            assertArrayEquals(blob.bytes(), Files.readAllBytes(file), blob.digest());
        }
    }
}
