package dev.registrymesh.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registrymesh.e2e.cluster.ClusterClient.Blob;
import dev.registrymesh.e2e.cluster.ClusterClient.Image;
import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.DockerEngine;
import dev.registrymesh.testkit.Podman;
import dev.registrymesh.testkit.RegistryCluster;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestHttp;
import dev.registrymesh.testkit.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale-out shape ({@link RegistryCluster}): three registry nodes at {@code -Xmx128m} on one S3Proxy bucket
 * behind haproxy, two auth nodes sharing a key directory, two index nodes on one Redis, token auth on. Real
 * clients push and pull through the balancer; raw HTTP spreads one upload over every node; twenty clients push
 * at once and read their tags back through the other nodes at once; a node is SIGKILLed and Redis restarted
 * under load, and nothing acknowledged is lost; a 1 GiB blob streams through a 128 MiB node; with the object
 * store gone the registry answers a spec error at once. Ordered: later tests take parts away.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryClusterTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "alice-cluster-password";
    private static final int MIB = 1 << 20;
    /** Shared by every image the load tests push: pushed once, then found by HEAD (or pushed again at once). */
    private static final Blob BASE = Blob.of("application/vnd.oci.image.layer.v1.tar+gzip", ClusterClient.random(1, MIB));
    private static final Blob MIDDLE = Blob.of("application/vnd.oci.image.layer.v1.tar+gzip", ClusterClient.random(2, 256 * 1024));

    @TempDir
    static Path work;
    private static RegistryCluster cluster;
    private static ClusterClient client;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(RegistryCluster.available(), "needs haproxy and redis-server");
        Assumptions.assumeTrue(Skopeo.available(), "skopeo is not installed");
        long t0 = System.nanoTime();
        cluster = RegistryCluster.builder().registries(3).authNodes(2).indexNodes(2).registryJvmArg("-Xmx128m").start();
        System.out.printf("cluster up in %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, cluster);
        HttpResponse<String> created = post(cluster.indexUrl() + "/api/v1/users", "admin:" + cluster.adminPassword(),
                "{\"name\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        client = new ClusterClient(cluster.authUrl() + "/token", cluster.registryHostPort(), USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        Closing.all(cluster);
    }

    // --- real clients through the balancer ---

    @Test
    @Order(1)
    void skopeoPushesAndPullsBitIdenticalThroughTheBalancer() throws IOException {
        TestImages.Image image = TestImages.writeImage(work.resolve("skopeo-src"), 11, 3, 700_000, "v1");
        String ref = "docker://" + cluster.registryHostPort() + "/alice/skopeo:v1";
        Skopeo.copy(image.ociRef(), ref, "--dest-creds", USER + ":" + PASSWORD).orFail();
        Path pulled = work.resolve("skopeo-pulled");
        // Several pulls, so that round robin spreads the requests of one pull over the nodes.
        for (int i = 0; i < 3; i++) {
            Skopeo.copy(ref, "oci:" + pulled + ":v" + i, "--src-creds", USER + ":" + PASSWORD).orFail();
        }
        assertSameBlobs(image, pulled);
    }

    @Test
    @Order(2)
    void podmanPushesAndPullsThroughTheBalancer() throws IOException {
        Assumptions.assumeTrue(Podman.available(), "needs root and Debian's podman");
        TestImages.Image image = TestImages.writeImage(work.resolve("podman-src"), 12, 2, 300_000, "v1");
        String ref = cluster.registryHostPort() + "/alice/podman:v1";
        try (Podman podman = Podman.create()) {
            String id = ok(podman.run("pull", "-q", podman.signaturePolicy(), image.ociRef())).stdout().trim();
            ok(podman.run("tag", id, ref));
            ok(podman.run("login", "--tls-verify=false", "-u", USER, "-p", PASSWORD, cluster.registryHostPort()));
            Path digestFile = work.resolve("podman.digest");
            ok(podman.run("push", "--tls-verify=false", podman.signaturePolicy(), "--digestfile", digestFile.toString(), ref));
            String pushed = Files.readString(digestFile).trim();
            ok(podman.run("rmi", ref, id));
            ok(podman.run("pull", "--tls-verify=false", podman.signaturePolicy(), ref));
            assertEquals(pushed, ok(podman.run("image", "inspect", "--format", "{{.Digest}}", ref)).stdout().trim());
            String config = image.blobs().stream().filter(b -> b.mediaType().contains("config")).findFirst().orElseThrow().digest();
            assertEquals(config, "sha256:" + ok(podman.run("image", "inspect", "--format", "{{.Id}}", ref)).stdout().trim());
        }
        assertManifestEverywhere("alice/podman", "v1", null);
    }

    @Test
    @Order(3)
    void dockerPushesAndPullsThroughTheBalancer() {
        Assumptions.assumeTrue(DockerEngine.available(), "needs root and Debian's docker.io");
        String ref = cluster.registryHostPort() + "/alice/docker:1.0";
        Path rootfs = TestImages.writeSingleFileTar(work.resolve("rootfs.tar"), "hello.txt",
                ClusterClient.random(3, 200_000));
        try (DockerEngine docker = DockerEngine.start(List.of())) {
            ok(docker.docker("import", rootfs.toString(), ref));
            ok(docker.dockerWithInput(PASSWORD, "login", cluster.registryHostPort(), "-u", USER, "--password-stdin"));
            String pushOutput = ok(docker.docker("push", ref)).stdout();
            String pushed = pushOutput.replaceAll("(?s).*digest: (sha256:[0-9a-f]{64}).*", "$1");
            assertTrue(pushed.startsWith("sha256:"), pushOutput);
            ok(docker.docker("rmi", ref));
            ok(docker.docker("pull", ref));
            String repoDigest = ok(docker.docker("image", "inspect", "--format", "{{index .RepoDigests 0}}", ref)).stdout().trim();
            assertEquals(cluster.registryHostPort() + "/alice/docker@" + pushed, repoDigest);
            assertManifestEverywhere("alice/docker", "1.0", pushed);
        }
    }

    // --- one upload over every node ---

    @Test
    @Order(4)
    void aChunkedUploadSpreadOverEveryNodeIsWholeOnEveryNode() {
        String repo = "alice/chunked";
        byte[] data = ClusterClient.random(4, 13 * MIB + 12345);
        String digest = ClusterClient.sha256(data);
        List<String> nodes = nodeUrls();
        HttpResponse<String> started = client.send(nodes.get(0), "POST", "/v2/" + repo + "/blobs/uploads/", repo, null, null);
        assertEquals(202, started.statusCode(), started.body());
        String location = started.headers().firstValue("Location").orElseThrow();
        int chunk = 4 * MIB;
        int offset = 0;
        int request = 1;
        while (data.length - offset > chunk) { // every chunk but the last: PATCH with Content-Range, each on the next node
            byte[] part = java.util.Arrays.copyOfRange(data, offset, offset + chunk);
            String node = nodes.get(request++ % nodes.size());
            HttpResponse<String> patched = client.send(node, "PATCH", location, repo, part, Map.of(
                    "Content-Type", "application/octet-stream",
                    "Content-Range", offset + "-" + (offset + chunk - 1)));
            assertEquals(202, patched.statusCode(), node + ": " + patched.body());
            assertEquals("0-" + (offset + chunk - 1), patched.headers().firstValue("Range").orElseThrow());
            location = patched.headers().firstValue("Location").orElseThrow();
            offset += chunk;
        }
        // The last chunk comes with the PUT that closes the upload, on yet another node.
        byte[] last = java.util.Arrays.copyOfRange(data, offset, data.length);
        String closingNode = nodes.get(request % nodes.size());
        HttpResponse<String> closed = client.send(closingNode, "PUT", ClusterClient.withDigest(location, digest), repo, last, Map.of(
                "Content-Type", "application/octet-stream",
                "Content-Range", offset + "-" + (data.length - 1)));
        assertEquals(201, closed.statusCode(), closingNode + ": " + closed.body());
        assertEquals(digest, closed.headers().firstValue("Docker-Content-Digest").orElseThrow());
        assertTrue(request >= 3, "the requests went to every node");
        for (String node : nodes) {
            HttpResponse<byte[]> got = client.get(node, repo, "/v2/" + repo + "/blobs/" + digest);
            assertEquals(200, got.statusCode(), node);
            assertEquals(digest, ClusterClient.sha256(got.body()), node);
        }
    }

    /**
     * What docker, skopeo, podman and containerd do behind a round-robin balancer: POST on one node, one streamed
     * PATCH (no Content-Range) on another, PUT ?digest= without a body on a third, which verifies with the digest
     * the PATCH's node stored with the session. Then chunks that alternate between two nodes (each rebuilds the
     * running digest from the stored bytes), in sha256 and in sha512 sessions; and a wrong digest, refused with
     * 400 DIGEST_INVALID, keeping neither the session nor the blob.
     */
    @Test
    @Order(4)
    void uploadsWhoseRequestsLandOnDifferentNodesAreVerifiedInBothAlgorithms() throws Exception {
        List<String> nodes = nodeUrls();
        for (String algorithm : List.of("sha256", "sha512")) {
            String repo = "alice/spread-" + algorithm;
            byte[] data = ClusterClient.random(algorithm.length() + 40, 7 * MIB + 4321);
            String digest = digest(algorithm, data);
            String post = "/v2/" + repo + "/blobs/uploads/" + (algorithm.equals("sha256") ? "" : "?digest-algorithm=" + algorithm);

            // streamed PATCH on node 1, closing PUT without a body on node 2
            String location = started(nodes.get(0), post, repo);
            HttpResponse<String> patched = client.send(nodes.get(1), "PATCH", location, repo, data,
                    Map.of("Content-Type", "application/octet-stream"));
            assertEquals(202, patched.statusCode(), patched.body());
            HttpResponse<String> closed = client.send(nodes.get(2), "PUT",
                    ClusterClient.withDigest(patched.headers().firstValue("Location").orElseThrow(), digest), repo, null, null);
            assertEquals(201, closed.statusCode(), closed.body());
            assertEquals(digest, closed.headers().firstValue("Docker-Content-Digest").orElseThrow());
            assertBlobEverywhere(repo, digest, data);

            // chunks alternating between nodes 0 and 1, the last one with the PUT on node 2
            String chunkedRepo = repo + "-chunked";
            location = started(nodes.get(2), post.replace(repo, chunkedRepo), chunkedRepo);
            int[] cuts = {0, 300_000, 600_000, 6 * MIB, 6 * MIB + 1000, data.length};
            for (int i = 0; i + 2 < cuts.length; i++) {
                HttpResponse<String> chunk = client.send(nodes.get(i % 2), "PATCH", location, chunkedRepo,
                        java.util.Arrays.copyOfRange(data, cuts[i], cuts[i + 1]), Map.of(
                                "Content-Type", "application/octet-stream",
                                "Content-Range", cuts[i] + "-" + (cuts[i + 1] - 1)));
                assertEquals(202, chunk.statusCode(), chunk.body());
                assertEquals("0-" + (cuts[i + 1] - 1), chunk.headers().firstValue("Range").orElseThrow());
                location = chunk.headers().firstValue("Location").orElseThrow();
            }
            int last = cuts.length - 2;
            closed = client.send(nodes.get(2), "PUT", ClusterClient.withDigest(location, digest), chunkedRepo,
                    java.util.Arrays.copyOfRange(data, cuts[last], cuts[last + 1]), Map.of(
                            "Content-Type", "application/octet-stream",
                            "Content-Range", cuts[last] + "-" + (cuts[last + 1] - 1)));
            assertEquals(201, closed.statusCode(), closed.body());
            assertBlobEverywhere(chunkedRepo, digest, data);

            // a wrong digest: 400 DIGEST_INVALID on the closing node, and nothing is kept anywhere
            String wrongRepo = repo + "-wrong";
            byte[] other = ClusterClient.random(algorithm.length() + 50, 3 * MIB);
            location = started(nodes.get(0), post.replace(repo, wrongRepo), wrongRepo);
            patched = client.send(nodes.get(1), "PATCH", location, wrongRepo, other, Map.of("Content-Type", "application/octet-stream"));
            assertEquals(202, patched.statusCode(), patched.body());
            location = patched.headers().firstValue("Location").orElseThrow();
            HttpResponse<String> refused = client.send(nodes.get(2), "PUT", ClusterClient.withDigest(location, digest(algorithm, data)),
                    wrongRepo, null, null);
            assertEquals(400, refused.statusCode(), refused.body());
            assertEquals("DIGEST_INVALID", TestHttp.json(refused.body()).path("errors").path(0).path("code").asText(), refused.body());
            for (String node : nodes) {
                assertEquals(404, client.send(node, "GET", location, wrongRepo, null, null).statusCode(), node);
                assertEquals(404, client.send(node, "HEAD", "/v2/" + wrongRepo + "/blobs/" + digest(algorithm, other), wrongRepo,
                        null, null).statusCode(), node);
            }
        }
    }

    private static String started(String node, String path, String repo) {
        HttpResponse<String> started = client.send(node, "POST", path, repo, null, null);
        assertEquals(202, started.statusCode(), started.body());
        return started.headers().firstValue("Location").orElseThrow();
    }

    private static String digest(String algorithm, byte[] data) throws Exception {
        MessageDigest md = MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
        return algorithm + ":" + HexFormat.of().formatHex(md.digest(data));
    }

    private static void assertBlobEverywhere(String repo, String digest, byte[] data) {
        for (String node : nodeUrls()) {
            HttpResponse<byte[]> got = client.get(node, repo, "/v2/" + repo + "/blobs/" + digest);
            assertEquals(200, got.statusCode(), node);
            assertTrue(java.util.Arrays.equals(data, got.body()), node);
        }
    }

    // --- many clients at once, read-your-writes ---

    @Test
    @Order(5)
    void twentyConcurrentClientsReadTheirWritesOnEveryNode() throws Exception {
        List<String> nodes = nodeUrls();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int c = i;
                clients.add(pool.submit(() -> {
                    String repo = "alice/rw-" + c;
                    String home = nodes.get(c % 3);
                    Blob own = layer(100 + c, 128 * 1024);
                    Image first = ClusterClient.image("rw-" + c + "-a", List.of(BASE, MIDDLE, own));
                    client.push(home, repo, "latest", first);
                    assertServedByOthers(nodes, home, repo, first);
                    // The tag moves: every other node serves the new manifest at once, never the old one.
                    Image second = ClusterClient.image("rw-" + c + "-b", List.of(BASE, layer(200 + c, 128 * 1024)));
                    client.push(home, repo, "latest", second);
                    assertServedByOthers(nodes, home, repo, second);
                    String puller = nodes.get((c + 1) % 3);
                    for (Blob blob : second.blobs()) {
                        HttpResponse<byte[]> got = client.get(puller, repo, "/v2/" + repo + "/blobs/" + blob.digest());
                        assertEquals(200, got.statusCode(), puller + " " + blob.digest());
                        assertEquals(blob.digest(), ClusterClient.sha256(got.body()));
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get(3, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertServedByOthers(List<String> nodes, String home, String repo, Image image) {
        for (String node : nodes) {
            if (node.equals(home)) {
                continue;
            }
            HttpResponse<byte[]> got = client.get(node, repo, "/v2/" + repo + "/manifests/latest");
            assertEquals(200, got.statusCode(), "right after the push through " + home + ", " + node);
            assertEquals(image.digest(), ClusterClient.sha256(got.body()), "the tag on " + node + " right after the push through " + home);
        }
    }

    // --- 1 GiB through a 128 MiB node on S3 ---

    @Test
    @Order(6)
    void aGibibyteStreamsThroughANodeWithA128MibHeap() throws Exception {
        long size = 1L << 30;
        String repo = "alice/big";
        ServiceProcess node = cluster.registry(0);
        long t0 = System.nanoTime();
        String digest = digestOf(TestImages.randomStream(6, size));
        HttpResponse<String> started = client.send(node.url(), "POST", "/v2/" + repo + "/blobs/uploads/", repo, null, null);
        assertEquals(202, started.statusCode(), started.body());
        String location = started.headers().firstValue("Location").orElseThrow();
        HttpRequest patch = HttpRequest.newBuilder(URI.create(node.url() + URI.create(location).getRawPath()))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + client.token(repo, false))
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> TestImages.randomStream(6, size)))
                .build();
        HttpResponse<String> patched = TestHttp.send(patch, HttpResponse.BodyHandlers.ofString());
        assertEquals(202, patched.statusCode(), patched.body() + cluster.logs());
        assertEquals("0-" + (size - 1), patched.headers().firstValue("Range").orElseThrow());
        location = patched.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> closed = client.send(node.url(), "PUT", ClusterClient.withDigest(location, digest), repo, null, null);
        assertEquals(201, closed.statusCode(), closed.body());
        long uploaded = System.nanoTime();

        HttpRequest get = HttpRequest.newBuilder(URI.create(node.url() + "/v2/" + repo + "/blobs/" + digest))
                .timeout(Duration.ofMinutes(5)).header("Authorization", "Bearer " + client.token(repo, false)).build();
        HttpResponse<InputStream> got = TestHttp.send(get, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, got.statusCode());
        assertEquals(Long.toString(size), got.headers().firstValue("Content-Length").orElseThrow());
        try (InputStream body = got.body()) {
            assertEquals(digest, digestOf(body));
        }
        assertTrue(node.isAlive(), "the node survived: " + node.log());
        System.out.printf("1 GiB through a -Xmx128m node on S3Proxy: upload %d s, download %d s%n",
                (uploaded - t0) / 1_000_000_000, (System.nanoTime() - uploaded) / 1_000_000_000);
    }

    // --- faults under load ---

    @Test
    @Order(7)
    void aNodeKilledDuringPushesLosesNothingAcknowledged() throws Exception {
        try (Load load = new Load("kill", 6)) {
            load.awaitAcknowledged(8, Duration.ofSeconds(60));
            cluster.registry(1).kill();
            int atKill = load.acknowledged.size();
            load.awaitAcknowledged(atKill + 12, Duration.ofSeconds(90));
            load.stopAndCheck();
        }
        cluster.restartRegistry(1);
        // The restarted node serves what was pushed while it was gone.
        assertManifestEverywhere("alice/load-kill-0-0", "t0", null);
    }

    @Test
    @Order(8)
    void redisRestartedDuringPushesLosesNothing() throws Exception {
        try (Load load = new Load("redis", 6)) {
            load.awaitAcknowledged(8, Duration.ofSeconds(60));
            cluster.redis().restart(Duration.ofSeconds(1));
            int atRestart = load.acknowledged.size();
            load.awaitAcknowledged(atRestart + 12, Duration.ofSeconds(90));
            load.stopAndCheck();
        }
        // The accounts are still there (index-service's records are in Redis, with its append-only file).
        assertEquals(200, get(cluster.indexUrl() + "/api/v1/user", USER + ":" + PASSWORD).statusCode());
    }

    @Test
    @Order(9)
    void withTheObjectStoreGoneClientsGetASpecErrorAtOnce() throws Exception {
        String repo = "alice/outage";
        Image image = ClusterClient.image("outage", List.of(layer(900, 64 * 1024)));
        client.push(cluster.registryUrl(), repo, "v1", image);
        client.token(repo, true);
        cluster.s3().kill();
        try {
            for (String path : List.of("/v2/" + repo + "/manifests/v1", "/v2/" + repo + "/blobs/" + image.config().digest(),
                    "/v2/" + repo + "/tags/list")) {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> got = client.get(cluster.registryUrl(), repo, path);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                String body = new String(got.body(), StandardCharsets.UTF_8);
                assertTrue(got.statusCode() >= 500, path + ": " + got.statusCode() + " " + body);
                assertTrue(ms < 15_000, path + " took " + ms + " ms");
                JsonNode errors = TestHttp.json(body).path("errors");
                assertTrue(errors.isArray() && errors.size() > 0 && errors.get(0).hasNonNull("code"), path + ": " + body);
                System.out.printf("object store down: GET %s -> %d in %d ms: %s%n", path, got.statusCode(), ms, body);
            }
            long t0 = System.nanoTime();
            HttpResponse<String> upload = client.send(cluster.registryUrl(), "POST", "/v2/" + repo + "/blobs/uploads/", repo, null, null);
            assertTrue(upload.statusCode() >= 500, "POST upload: " + upload.statusCode() + " " + upload.body());
            assertTrue(TestHttp.json(upload.body()).path("errors").size() > 0, upload.body());
            System.out.printf("object store down: POST upload -> %d in %d ms: %s%n", upload.statusCode(),
                    (System.nanoTime() - t0) / 1_000_000, upload.body());
        } finally {
            cluster.s3().startAgain();
        }
        RegistryCluster.await(Duration.ofSeconds(30),
                () -> client.get(cluster.registryUrl(), repo, "/v2/" + repo + "/manifests/v1").statusCode() == 200 ? true : null,
                () -> "the registry did not recover with the object store" + cluster.logs());
    }

    /**
     * Clients pushing through the balancer in a loop, each push retried from scratch on any error (as Docker and
     * skopeo do, per layer), each acknowledged manifest read back through the balancer; {@link #stopAndCheck()}
     * then reads every acknowledged tag on every live node.
     */
    private final class Load implements AutoCloseable {
        record Acked(String repo, String tag, String digest) {
        }

        final ConcurrentLinkedQueue<Acked> acknowledged = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        final AtomicInteger failures = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final ExecutorService pool;
        private final List<Future<?>> workers = new ArrayList<>();

        Load(String name, int clients) {
            pool = Executors.newFixedThreadPool(clients);
            for (int i = 0; i < clients; i++) {
                int c = i;
                workers.add(pool.submit(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        // A repository every second push: clients keep asking the token server (auth, index, Redis).
                        String repo = "alice/load-" + name + "-" + c + "-" + n / 2;
                        Image image = ClusterClient.image(name + c + "-" + n,
                                List.of(BASE, layer(name.hashCode() * 1000L + c * 100L + n, 512 * 1024)));
                        pushWithRetries(repo, "t" + n, image);
                    }
                    return null;
                }));
            }
        }

        private void pushWithRetries(String repo, String tag, Image image) {
            for (int attempt = 1; attempt <= 60 && !stop.get(); attempt++) {
                try {
                    client.push(cluster.registryUrl(), repo, tag, image);
                    acknowledged.add(new Acked(repo, tag, image.digest()));
                    HttpResponse<byte[]> read = client.get(cluster.registryUrl(), repo, "/v2/" + repo + "/manifests/" + tag);
                    if (read.statusCode() != 200 || !image.digest().equals(ClusterClient.sha256(read.body()))) {
                        errors.add("read after push of " + repo + ":" + tag + ": " + read.statusCode());
                    }
                    return;
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    sleep(250);
                }
            }
            if (!stop.get()) {
                errors.add("gave up pushing " + repo + ":" + tag);
            }
        }

        void awaitAcknowledged(int count, Duration timeout) {
            RegistryCluster.await(timeout, () -> acknowledged.size() >= count ? true : null,
                    () -> acknowledged.size() + " of " + count + " pushes acknowledged, errors " + errors + cluster.logs());
        }

        void stopAndCheck() throws Exception {
            stop.set(true);
            for (Future<?> worker : workers) {
                worker.get(2, TimeUnit.MINUTES);
            }
            assertTrue(errors.isEmpty(), errors.toString());
            List<String> live = new ArrayList<>();
            for (ServiceProcess node : cluster.registries()) {
                if (node.isAlive()) {
                    live.add(node.url());
                }
            }
            for (Acked acked : acknowledged) {
                for (String node : live) {
                    HttpResponse<byte[]> got = client.get(node, acked.repo(), "/v2/" + acked.repo() + "/manifests/" + acked.tag());
                    assertEquals(200, got.statusCode(), "acknowledged " + acked + " on " + node);
                    assertEquals(acked.digest(), ClusterClient.sha256(got.body()), acked + " on " + node);
                }
            }
            System.out.printf("%d pushes acknowledged and found on %d nodes; %d failed attempts retried%n",
                    acknowledged.size(), live.size(), failures.get());
        }

        @Override
        public void close() {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    // --- helpers ---

    private static Blob layer(long seed, int size) {
        return Blob.of("application/vnd.oci.image.layer.v1.tar+gzip", ClusterClient.random(seed, size));
    }

    private static List<String> nodeUrls() {
        return cluster.registries().stream().map(ServiceProcess::url).toList();
    }

    /** The tag is served by every node with the same digest ({@code expected}, when not null). */
    private static void assertManifestEverywhere(String repo, String tag, String expected) {
        String seen = expected;
        for (ServiceProcess node : cluster.registries()) {
            HttpResponse<byte[]> got = client.get(node.url(), repo, "/v2/" + repo + "/manifests/" + tag);
            assertEquals(200, got.statusCode(), repo + ":" + tag + " on " + node);
            String digest = got.headers().firstValue("Docker-Content-Digest").orElseThrow();
            if (seen != null) {
                assertEquals(seen, digest, repo + ":" + tag + " on " + node);
            }
            seen = digest;
        }
    }

    private static void assertSameBlobs(TestImages.Image expected, Path layout) throws IOException {
        for (TestImages.Blob blob : expected.blobs()) {
            Path file = layout.resolve("blobs").resolve(blob.digest().replace(':', '/'));
            assertTrue(Files.exists(file), "missing " + blob.digest() + " in " + layout);
            assertEquals(-1L, Files.mismatch(blob.file(), file), blob.digest());
        }
    }

    private static Skopeo.Result ok(Skopeo.Result result) {
        assertTrue(result.ok(), result.stderr() + cluster.logs());
        return result;
    }

    private static String digestOf(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream digesting = new DigestInputStream(in, sha)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    private static HttpResponse<String> post(String url, String credentials, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", TestHttp.basic(credentials)).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static HttpResponse<String> get(String url, String credentials) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", TestHttp.basic(credentials)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        return TestHttp.send(request.timeout(Duration.ofSeconds(20)).build());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
