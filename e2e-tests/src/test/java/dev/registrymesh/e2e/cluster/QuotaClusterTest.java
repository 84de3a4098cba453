package dev.registrymesh.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registrymesh.e2e.cluster.ClusterClient.Blob;
import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.RegistryCluster;
import dev.registrymesh.testkit.TestHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Namespace quotas with two registry nodes on one S3Proxy bucket and one Redis ({@link RegistryCluster} with
 * {@code registryRedis(true)}): pushes into one namespace through both nodes at once never end over the quota,
 * each refused one gets the spec's 403 DENIED at its final PUT, and both nodes report one usage, before and after a
 * deletion through one of them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuotaClusterTest {
    private static final String USER = "quotacluster";
    private static final String PASSWORD = "quotacluster-password-1";
    private static final String REPOSITORY = USER + "/app";
    private static final int BLOB = 64 * 1024;
    private static final long QUOTA = 3L * BLOB;

    private static RegistryCluster cluster;
    private static ClusterClient client;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(RegistryCluster.available(), "needs haproxy and redis-server");
        cluster = RegistryCluster.builder().registries(2).authNodes(1).indexNodes(1).registryRedis(true)
                .registryEnv("MESH_REGISTRY_POLICY_CACHE_TTL", "1s").start();
        HttpResponse<String> created = send("POST", cluster.indexUrl() + "/api/v1/users", "admin:" + cluster.adminPassword(),
                "{\"name\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> quota = send("PUT", cluster.indexUrl() + "/api/v1/namespaces/" + USER + "/quota",
                "admin:" + cluster.adminPassword(), "{\"quotaBytes\":" + QUOTA + "}");
        assertEquals(200, quota.statusCode(), quota.body());
        // index-service tells one node through the balancer; the other reads it again after its 1 s cache.
        for (int node = 0; node < 2; node++) {
            int n = node;
            RegistryCluster.await(Duration.ofSeconds(20), () -> usage(n).path("quotaBytes").asLong() == QUOTA ? true : null,
                    () -> "node " + n + " knows the quota: " + usage(n));
        }
        client = new ClusterClient(cluster.authUrl() + "/token", cluster.registryHostPort(), USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        Closing.all(cluster);
    }

    @Test
    @Order(1)
    void tenConcurrentPushesThroughTwoNodesNeverEndOverTheQuota() throws Exception {
        List<Blob> blobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            blobs.add(Blob.of("application/octet-stream", ClusterClient.random(4000 + i, BLOB)));
        }
        Map<String, HttpResponse<String>> finalPuts = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> pushes = new ArrayList<>();
        for (int i = 0; i < blobs.size(); i++) {
            Blob blob = blobs.get(i);
            String node = cluster.registry(i % 2).url();
            pushes.add(pool.submit(() -> {
                HttpResponse<String> started = client.send(node, "POST", "/v2/" + REPOSITORY + "/blobs/uploads/", REPOSITORY, null, null);
                ClusterClient.expect(202, started, "POST upload");
                HttpResponse<String> patched = client.send(node, "PATCH", started.headers().firstValue("Location").orElseThrow(),
                        REPOSITORY, blob.bytes(), Map.of("Content-Type", "application/octet-stream"));
                ClusterClient.expect(202, patched, "PATCH");
                go.await(); // every upload holds its bytes; the final PUTs race
                String location = patched.headers().firstValue("Location").orElseThrow();
                finalPuts.put(blob.digest(), client.send(node, "PUT", ClusterClient.withDigest(location, blob.digest()), REPOSITORY, null, null));
                return null;
            }));
        }
        Thread.sleep(500);
        go.countDown();
        for (Future<?> push : pushes) {
            push.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();

        int admitted = 0;
        for (Blob blob : blobs) {
            HttpResponse<String> put = finalPuts.get(blob.digest());
            int head = ClusterClient.status(client.send(cluster.registryUrl(), "HEAD", "/v2/" + REPOSITORY + "/blobs/" + blob.digest(),
                    REPOSITORY, null, null));
            if (put.statusCode() == 201) {
                admitted++;
                assertEquals(200, head, "an acknowledged blob is there");
                continue;
            }
            assertEquals(403, put.statusCode(), put.body());
            JsonNode error = TestHttp.json(put.body()).path("errors").path(0);
            assertEquals("DENIED", error.path("code").asText(), put.body());
            assertTrue(error.path("message").asText().matches("storage quota of namespace '" + USER + "' exceeded: quota " + QUOTA
                    + " bytes, used \\d+ bytes, this push needs " + BLOB + " more"), put.body());
            assertEquals(QUOTA, error.path("detail").path("quotaBytes").asLong(), put.body());
            assertEquals(404, head, "a refused blob is not in the repository");
        }
        assertEquals(3, admitted, "three blobs' worth fit, no more");
        JsonNode first = usage(0);
        assertEquals(QUOTA, first.path("usedBytes").asLong(), first.toString());
        assertEquals(3, first.path("blobs").asInt(), first.toString());
        assertEquals(first, usage(1), "both nodes answer one usage");
    }

    @Test
    @Order(2)
    void aDeletionThroughOneNodeFreesRoomOnTheOther() {
        HttpResponse<String> deleted = send("DELETE", cluster.registry(0).url() + "/admin/v1/repositories/" + REPOSITORY, null, null);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals(0, usage(1).path("usedBytes").asLong(), usage(1).toString());
        Blob next = Blob.of("application/octet-stream", ClusterClient.random(5000, BLOB));
        client.uploadBlob(cluster.registry(1).url(), REPOSITORY, next);
        assertEquals(BLOB, usage(0).path("usedBytes").asLong());
        assertEquals(usage(0), usage(1));
    }

    /** The registry node's own usage answer (its internal admin API). */
    private static JsonNode usage(int node) {
        HttpResponse<String> answer = send("GET", cluster.registry(node).url() + "/admin/v1/namespaces/" + USER + "/usage", null, null);
        assertEquals(200, answer.statusCode(), answer.body());
        return TestHttp.json(answer.body());
    }

    /** A JSON request; Basic credentials when given, else the internal token (the registry's admin API). */
    private static HttpResponse<String> send(String method, String url, String credentials, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (credentials != null) {
            request.header("Authorization", TestHttp.basic(credentials));
        } else {
            request.header("X-Mesh-Internal-Token", cluster.internalToken());
        }
        return TestHttp.send(request.build());
    }
}
