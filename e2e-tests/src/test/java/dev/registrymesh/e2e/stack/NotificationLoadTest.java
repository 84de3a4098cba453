package dev.registrymesh.e2e.stack;

import dev.registrymesh.testkit.Closing;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many concurrent clients push and pull manifests through the real registry with token auth; every push and every
 * pull the registry acknowledged must reach index-service as an event (tag count, pull count). Bounded to about a
 * minute: the point is that the durable queue keeps up and drops nothing under a burst.
 */
class NotificationLoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "loader:loader-e2e-password";
    private static final String REPOSITORY = "loader/app";
    private static final int CLIENTS = 40;
    private static final int MANIFESTS_PER_CLIENT = 25;

    private static MeshStack mesh;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        mesh = MeshStack.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(8)).build();
        assertEquals(201, mesh.call("POST", "/api/v1/users", "admin:" + MeshStack.ADMIN_PASSWORD,
                Map.of("name", "loader", "password", USER.split(":", 2)[1])).status());
    }

    @AfterAll
    static void stop() {
        Closing.all(mesh);
    }

    @Test
    void everyAcknowledgedPushAndPullIsCounted() throws Exception {
        String token = token();
        String config = uploadBlob(token, "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8));
        String layer = uploadBlob(token, "a layer of the load test".getBytes(StandardCharsets.UTF_8));

        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Integer>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            done.add(clients.submit(() -> {
                int acknowledged = 0;
                for (int m = 0; m < MANIFESTS_PER_CLIENT; m++) {
                    String tag = "c" + client + "-m" + m;
                    String manifest = manifest(config, layer, tag);
                    int put = send(token, "PUT", "/v2/" + REPOSITORY + "/manifests/" + tag, manifest).statusCode();
                    assertEquals(201, put, tag);
                    int get = send(token, "GET", "/v2/" + REPOSITORY + "/manifests/" + tag, null).statusCode();
                    assertEquals(200, get, tag);
                    acknowledged++;
                }
                return acknowledged;
            }));
        }
        int acknowledged = 0;
        for (Future<Integer> f : done) {
            acknowledged += f.get();
        }
        clients.shutdown();
        int expected = acknowledged;
        assertEquals(CLIENTS * MANIFESTS_PER_CLIENT, expected);

        JsonNode record = MeshStack.await(Duration.ofSeconds(60), () -> {
            MeshStack.Answer a = mesh.call("GET", "/api/v1/repositories/" + REPOSITORY, USER, null);
            return a.status() == 200 && a.body().path("tagCount").asInt() == expected
                    && a.body().path("pullCount").asInt() == expected ? a.body() : null;
        }, () -> mesh.call("GET", "/api/v1/repositories/" + REPOSITORY, USER, null) + mesh.logs());
        assertEquals(expected, record.path("tagCount").asInt());
        assertEquals(expected, record.path("pullCount").asInt());
    }

    private static String manifest(String config, String layer, String tag) {
        return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":"
                + "{\"architecture\":\"amd64\",\"os\":\"linux\"}".length() + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layer + "\",\"size\":"
                + "a layer of the load test".length() + "}],"
                + "\"annotations\":{\"load-test\":\"" + tag + "\"}}";
    }

    private static String uploadBlob(String token, byte[] content) {
        String digest = "sha256:" + sha256(content);
        HttpResponse<String> r = send(token, "POST", "/v2/" + REPOSITORY + "/blobs/uploads/?digest=" + digest, content);
        assertEquals(201, r.statusCode(), r.body());
        return digest;
    }

    private static String token() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(mesh.auth.url() + "/token?service="
                        + MeshStack.query(mesh.registry.hostPort()) + "&scope=" + MeshStack.query("repository:" + REPOSITORY + ":pull,push")))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(USER.getBytes(StandardCharsets.UTF_8)))
                .build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).path("token").asText();
    }

    private static HttpResponse<String> send(String token, String method, String path, Object body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : body instanceof byte[] bytes ? HttpRequest.BodyPublishers.ofByteArray(bytes)
                : HttpRequest.BodyPublishers.ofString((String) body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(mesh.registry.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/vnd.oci.image.manifest.v1+json")
                .method(method, publisher);
        if (body instanceof String) {
            request.header("Content-Type", "application/vnd.oci.image.manifest.v1+json");
        } else if (body != null) {
            request.header("Content-Type", "application/octet-stream");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
