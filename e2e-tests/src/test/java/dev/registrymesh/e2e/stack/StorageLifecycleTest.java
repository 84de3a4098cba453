package dev.registrymesh.e2e.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestHttp;
import dev.registrymesh.testkit.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage lifecycle against the packaged services: online garbage collection racing pushes, pulls and deletes;
 * a collection killed mid-run; quotas, immutable tags and retention as skopeo sees them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StorageLifecycleTest {
    private static final String ADMIN = "admin:" + MeshStack.ADMIN_PASSWORD;
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    /** The registry's settings for these tests, whatever its storage. */
    static final Map<String, String> REGISTRY_ENV = Map.of("MESH_GC_GRACE", GRACE.toSeconds() + "s",
            "MESH_GC_DELETE_UNTAGGED", "true", "MESH_REGISTRY_POLICY_CACHE_TTL", "1s");

    static MeshStack mesh;
    /** Where the registry's blobs are on disk ({@code <alg>/<2 hex>/<hex>} under it), for either driver. */
    static Path blobsRoot;

    @BeforeAll
    static void start() {
        mesh = MeshStack.start(Map.of(), Map.of(), REGISTRY_ENV, dev.registrymesh.testkit.FreePort.find());
        blobsRoot = mesh.registry.dataDir().resolve("blobs");
    }

    @AfterAll
    static void stop() {
        Closing.all(mesh);
    }

    /** One image pushed over the API: its manifest and blobs, by digest. */
    record Pushed(String repository, String tag, String manifestDigest, byte[] manifest, Map<String, byte[]> blobs) {
    }

    @Test
    @Order(1)
    void collectionsInALoopWhileTwentyClientsPushDeleteAndPull() throws Exception {
        List<String> repositories = List.of("admin/race-0", "admin/race-1", "admin/race-2", "admin/race-3");
        String token = registryToken(ADMIN, repositories, "pull,push,delete");
        Random seeds = new Random(7);
        List<byte[]> shared = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            shared.add(randomBytes(seeds.nextLong(), 48 * 1024));
        }
        Set<Pushed> kept = ConcurrentHashMap.newKeySet();
        Set<Pushed> deleted = ConcurrentHashMap.newKeySet();
        AtomicInteger retries = new AtomicInteger();
        Set<String> refusals = ConcurrentHashMap.newKeySet();
        AtomicBoolean collecting = new AtomicBoolean(true);
        AtomicInteger runs = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(21);
        Future<?> collector = pool.submit(() -> {
            while (collecting.get()) {
                HttpResponse<String> gc = admin("POST", "/admin/v1/gc");
                assertTrue(gc.statusCode() == 200 || gc.statusCode() == 429, gc.body());
                runs.incrementAndGet();
            }
            return null;
        });
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 20; c++) {
            int client = c;
            clients.add(pool.submit(() -> {
                for (int i = 0; i < 6; i++) {
                    String repository = repositories.get((client + i) % repositories.size());
                    byte[] unique = randomBytes(client * 1000L + i, 16 * 1024 + client);
                    byte[] layer = shared.get((client + i) % shared.size());
                    Pushed image = null;
                    for (int attempt = 0; image == null; attempt++) {
                        try {
                            image = push(token, repository, "c" + client + "-" + i, ("{\"client\":" + client + ",\"image\":" + i + "}")
                                    .getBytes(StandardCharsets.UTF_8), layer, unique);
                        } catch (AssertionError refused) {
                            // Not acknowledged, so nothing is promised; counted and retried.
                            retries.incrementAndGet();
                            refusals.add(String.valueOf(refused.getMessage()).replaceAll("sha256:[0-9a-f]+", "<digest>"));
                            if (attempt > 3) {
                                throw refused;
                            }
                        }
                    }
                    if (i % 3 == 0) {
                        HttpResponse<byte[]> removed = registry("DELETE", "/v2/" + repository + "/manifests/" + image.manifestDigest(), token, null, null);
                        assertEquals(202, removed.statusCode());
                        deleted.add(image);
                    } else {
                        kept.add(image);
                    }
                    for (Pushed earlier : List.copyOf(kept)) {
                        if (earlier.repository().equals(repository) && earlier.tag().startsWith("c" + client + "-")) {
                            assertPullable(token, earlier);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : clients) {
            client.get(5, TimeUnit.MINUTES);
        }
        collecting.set(false);
        collector.get(1, TimeUnit.MINUTES);
        pool.shutdown();
        assertTrue(runs.get() > 1, "collections ran: " + runs.get());

        for (Pushed image : kept) {
            assertPullable(token, image);
        }
        // Past the grace period, one more run reclaims everything deleted: on disk, only the kept images' blobs stay.
        Thread.sleep(GRACE.toMillis() + 500);
        JsonNode report = TestHttp.json(admin("POST", "/admin/v1/gc").body());
        Map<String, Integer> live = new ConcurrentHashMap<>();
        for (Pushed image : kept) {
            live.put(image.manifestDigest(), image.manifest().length);
            image.blobs().forEach((digest, bytes) -> live.put(digest, bytes.length));
        }
        long expected = live.values().stream().mapToLong(Integer::longValue).sum();
        for (Pushed image : deleted) {
            assertFalse(Files.exists(blobFile(image.manifestDigest())), "deleted manifest reclaimed: " + report);
            image.blobs().keySet().stream().filter(d -> !live.containsKey(d))
                    .forEach(d -> assertFalse(Files.exists(blobFile(d)), "reclaimed " + d));
        }
        assertEquals(expected, bytesUnder(blobsRoot),
                "the blob store holds exactly the kept images; retries " + retries + ", runs " + runs + ", last " + report);
        for (Pushed image : kept) {
            assertPullable(token, image);
        }
        System.out.printf("race: %d collections, %d images kept, %d deleted, %d push retries %s%n", runs.get(), kept.size(),
                deleted.size(), retries.get(), refusals);
    }

    @Test
    @Order(2)
    void aCollectionKilledMidRunLosesNothingAndTheNextOneFinishes() throws Exception {
        String repository = "admin/killed";
        String token = registryToken(ADMIN, List.of(repository), "pull,push,delete");
        List<Pushed> kept = new ArrayList<>();
        int garbage = 0;
        for (int i = 0; i < 240; i++) {
            Pushed image = push(token, repository, "t" + i, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                    randomBytes(50_000 + i, 2048), randomBytes(90_000 + i, 1024));
            if (i % 4 == 0) {
                kept.add(image);
            } else {
                assertEquals(202, registry("DELETE", "/v2/" + repository + "/manifests/" + image.manifestDigest(), token, null, null).statusCode());
                garbage++;
            }
        }
        Thread.sleep(GRACE.toMillis() + 500);
        Path blobs = blobsRoot;
        long before = filesUnder(blobs);
        Thread gc = new Thread(() -> {
            try {
                admin("POST", "/admin/v1/gc");
            } catch (RuntimeException killed) {
                // the registry dies under it
            }
        });
        gc.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (filesUnder(blobs) == before && gc.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        mesh.restartRegistryAfterKill();
        long leftAfterKill = filesUnder(blobs);
        gc.join(10_000);
        token = registryToken(ADMIN, List.of(repository), "pull,push,delete");
        for (Pushed image : kept) {
            assertPullable(token, image);
        }
        JsonNode second = TestHttp.json(admin("POST", "/admin/v1/gc").body());
        JsonNode third = TestHttp.json(admin("POST", "/admin/v1/gc").body());
        assertEquals(0, third.path("blobsRemoved").asInt(), "the second run finished the work: " + second);
        for (Pushed image : kept) {
            assertPullable(token, image);
        }
        System.out.printf("killed run: %d blobs before, %d left when killed, the run after the restart removed %d blobs%n",
                before, leftAfterKill, second.path("blobsRemoved").asInt());
        assertTrue(leftAfterKill < before && second.path("blobsRemoved").asInt() > 0,
                "killed in the middle of the sweep: " + before + " -> " + leftAfterKill + ", then " + second);
        assertEquals(garbage * 4, before - filesUnder(blobs), "every garbage blob is gone, nothing else");
    }

    @Test
    @Order(3)
    void quotaRefusesAPushThatWouldExceedItAndKeepsNothingOfIt(@TempDir Path dir) {
        createUser("quota", "quota-password-1");
        TestImages.Image small = TestImages.writeImage(dir.resolve("small"), 11, 2, 64 * 1024, "v1");
        TestImages.Image big = TestImages.writeImage(dir.resolve("big"), 12, 3, 256 * 1024, "v1");
        long smallBytes = small.blobs().stream().mapToLong(TestImages.Blob::size).sum(); // the manifest is among the blobs
        MeshStack.Answer set = mesh.call("PUT", "/api/v1/namespaces/quota/quota", ADMIN,
                Map.of("quotaBytes", smallBytes + 100_000, "maxRepositories", 2));
        assertEquals(200, set.status(), set.toString());
        assertEquals(403, mesh.call("PUT", "/api/v1/namespaces/quota/quota", "quota:quota-password-1", Map.of("quotaBytes", 1)).status(),
                "owners do not set their own quota");

        Skopeo.copy(small.ociRef(), mesh.ref("quota/app:v1"), "--dest-creds", "quota:quota-password-1").orFail();
        // The same content in a second repository costs nothing more.
        Skopeo.copy(small.ociRef(), mesh.ref("quota/copy:v1"), "--dest-creds", "quota:quota-password-1").orFail();
        Skopeo.Result refused = Skopeo.copy(big.ociRef(), mesh.ref("quota/app:big"), "--dest-creds", "quota:quota-password-1");
        assertFalse(refused.ok());
        assertTrue(refused.stderr().contains("storage quota of namespace 'quota' exceeded"), refused.stderr());
        Skopeo.Result third = Skopeo.copy(small.ociRef(), mesh.ref("quota/third:v1"), "--dest-creds", "quota:quota-password-1");
        assertFalse(third.ok());
        assertTrue(third.stderr().contains("repository limit of namespace 'quota' reached"), third.stderr());

        MeshStack.Answer usage = mesh.call("GET", "/api/v1/namespaces/quota/quota", "quota:quota-password-1", null);
        assertEquals(200, usage.status(), usage.toString());
        assertTrue(usage.body().path("usedBytes").asLong() <= usage.body().path("quotaBytes").asLong(), usage.toString());
        // The first image counted once for its two repositories (skopeo may have stored small blobs of the refused one).
        assertTrue(usage.body().path("usedBytes").asLong() >= smallBytes, usage.toString());
        big.blobs().stream().filter(b -> b.size() > 200 * 1024)
                .forEach(b -> assertFalse(Files.exists(blobFile(b.digest())), "a refused layer is not stored: " + b.digest()));
    }

    @Test
    @Order(4)
    void immutableTagsCannotBeOverwrittenOrDeleted(@TempDir Path dir) {
        createUser("immut", "immut-password-1");
        String creds = "immut:immut-password-1";
        TestImages.Image one = TestImages.writeImage(dir.resolve("one"), 21, 1, 4096, "v1");
        TestImages.Image two = TestImages.writeImage(dir.resolve("two"), 22, 1, 4096, "v1");
        Skopeo.copy(one.ociRef(), mesh.ref("immut/app:v1"), "--dest-creds", creds).orFail();
        MeshStack.Answer rule = mesh.call("PUT", "/api/v1/repositories/immut/app/immutable-tags", creds, Map.of("patterns", List.of("v*")));
        assertEquals(200, rule.status(), rule.toString());

        Skopeo.Result overwrite = Skopeo.copy(two.ociRef(), mesh.ref("immut/app:v1"), "--dest-creds", creds);
        assertFalse(overwrite.ok());
        assertTrue(overwrite.stderr().contains("tag 'v1' of immut/app is immutable"), overwrite.stderr());
        Skopeo.copy(one.ociRef(), mesh.ref("immut/app:v1"), "--dest-creds", creds).orFail(); // the same content again is fine
        Skopeo.copy(two.ociRef(), mesh.ref("immut/app:latest"), "--dest-creds", creds).orFail();
        Skopeo.Result delete = Skopeo.run("delete", "--tls-verify=false", "--creds", creds, mesh.ref("immut/app:v1"));
        assertFalse(delete.ok());
        assertTrue(delete.stderr().contains("immutable"), delete.stderr());
        assertTrue(Skopeo.inspect(mesh.ref("immut/app:v1"), "--tls-verify=false", "--creds", creds).ok());
    }

    @Test
    @Order(5)
    void retentionKeepsTheNewestTagsAndPreviewsFirst(@TempDir Path dir) throws Exception {
        createUser("keep", "keep-password-1");
        String creds = "keep:keep-password-1";
        for (int i = 1; i <= 3; i++) {
            TestImages.Image image = TestImages.writeImage(dir.resolve("i" + i), 30 + i, 1, 4096, "b" + i);
            Skopeo.copy(image.ociRef(), mesh.ref("keep/app:b" + i), "--dest-creds", creds).orFail();
            Thread.sleep(1100); // S3 gives push times to the second: one push a second keeps their order

        }
        MeshStack.Answer rules = mesh.call("PUT", "/api/v1/namespaces/keep/retention", creds,
                Map.of("rules", List.of(Map.of("id", "newest", "tagPattern", "b*", "keepLast", 1))));
        assertEquals(200, rules.status(), rules.toString());
        MeshStack.Answer preview = MeshStack.await(Duration.ofSeconds(10), () -> {
            MeshStack.Answer p = mesh.call("GET", "/api/v1/namespaces/keep/retention/preview", creds, null);
            return p.status() == 200 && p.body().path("tags").size() == 2 ? p : null;
        }, () -> mesh.call("GET", "/api/v1/namespaces/keep/retention/preview", creds, null).toString());
        assertEquals(List.of("keep/app:b1", "keep/app:b2"), StreamSupport.stream(preview.body().path("tags").spliterator(), false).map(JsonNode::asText).toList());
        assertTrue(Skopeo.inspect(mesh.ref("keep/app:b1"), "--tls-verify=false", "--creds", creds).ok(), "a preview removes nothing");

        Thread.sleep(GRACE.toMillis() + 500);
        JsonNode report = TestHttp.json(admin("POST", "/admin/v1/gc").body());
        assertTrue(report.path("tagsRemoved").asInt() >= 2, report.toString());
        String tags = Skopeo.listTags(mesh.ref("keep/app"), "--tls-verify=false", "--creds", creds).orFail().stdout();
        assertTrue(tags.contains("b3") && !tags.contains("\"b1\"") && !tags.contains("\"b2\""), tags);
    }

    // --- helpers ---

    private static void createUser(String name, String password) {
        MeshStack.Answer created = mesh.call("POST", "/api/v1/users", ADMIN, Map.of("name", name, "password", password));
        assertEquals(201, created.status(), created.toString());
    }

    private static Path blobFile(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return blobsRoot.resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex);
    }

    private static long filesUnder(Path dir) {
        while (true) {
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile).count();
            } catch (IOException | UncheckedIOException removedWhileWalking) {
                // a file went while we listed: count again
            }
        }
    }

    private static long bytesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Pushes a config, two layers and a manifest as a client does (HEAD, then upload what is missing). */
    private static Pushed push(String token, String repository, String tag, byte[] config, byte[] layer, byte[] unique) {
        Map<String, byte[]> blobs = new java.util.LinkedHashMap<>();
        blobs.put(sha256(config), config);
        blobs.put(sha256(layer), layer);
        blobs.put(sha256(unique), unique);
        for (Map.Entry<String, byte[]> blob : blobs.entrySet()) {
            if (registry("HEAD", "/v2/" + repository + "/blobs/" + blob.getKey(), token, null, null).statusCode() == 200) {
                continue;
            }
            HttpResponse<byte[]> put = registry("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + blob.getKey(), token,
                    "application/octet-stream", blob.getValue());
            assertEquals(201, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));
        }
        List<String> keys = List.copyOf(blobs.keySet());
        String manifestJson = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + descriptor("application/vnd.oci.image.config.v1+json", keys.get(0), config.length)
                + ",\"layers\":[" + descriptor("application/vnd.oci.image.layer.v1.tar", keys.get(1), layer.length) + ","
                + descriptor("application/vnd.oci.image.layer.v1.tar", keys.get(2), unique.length) + "]}";
        byte[] manifest = manifestJson.getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> put = registry("PUT", "/v2/" + repository + "/manifests/" + tag, token, OCI_MANIFEST, manifest);
        assertEquals(201, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));
        return new Pushed(repository, tag, sha256(manifest), manifest, blobs);
    }

    private static String descriptor(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private static void assertPullable(String token, Pushed image) {
        HttpResponse<byte[]> manifest = registry("GET", "/v2/" + image.repository() + "/manifests/" + image.tag(), token, null, null);
        assertEquals(200, manifest.statusCode(), image.repository() + ":" + image.tag());
        assertArrayEquals(image.manifest(), manifest.body());
        image.blobs().forEach((digest, bytes) -> {
            HttpResponse<byte[]> blob = registry("GET", "/v2/" + image.repository() + "/blobs/" + digest, token, null, null);
            assertEquals(200, blob.statusCode(), image.repository() + ":" + image.tag() + " blob " + digest);
            assertEquals(digest, sha256(blob.body()), "bit-identical " + digest);
        });
    }

    private static HttpResponse<byte[]> registry(String method, String path, String token, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(mesh.registry.url() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (method.equals("GET") && path.contains("/manifests/")) {
            request.header("Accept", OCI_MANIFEST);
        }
        return TestHttp.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<String> admin(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(mesh.registry.url() + path)).timeout(Duration.ofSeconds(120))
                .header("X-Mesh-Internal-Token", MeshStack.INTERNAL_TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return TestHttp.send(request);
    }

    private static String registryToken(String credentials, List<String> repositories, String actions) {
        StringBuilder url = new StringBuilder(mesh.auth.url() + "/token?service=" + MeshStack.query(mesh.registry.hostPort()));
        repositories.forEach(r -> url.append("&scope=").append(MeshStack.query("repository:" + r + ":" + actions)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(20))
                .header("Authorization", TestHttp.basic(credentials)).build();
        HttpResponse<String> response = TestHttp.send(request);
        assertEquals(200, response.statusCode(), response.body());
        return TestHttp.json(response.body()).path("token").asText();
    }

    private static byte[] randomBytes(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
