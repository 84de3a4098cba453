package dev.registrymesh.e2e.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registrymesh.testkit.FreePort;
import dev.registrymesh.testkit.RedisServer;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.TestHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two index-service nodes on one Redis and two auth-service nodes on one shared key directory, each auth node
 * asking its own index node, in front of one registry that reads keys from the first auth node only: whichever
 * node a client reaches, it is the same mesh (accounts, revocations, tokens, key rotation).
 */
class ReplicatedControlPlaneTest {
    private static final String INTERNAL_TOKEN = "replicated-e2e-internal-token";
    private static final String ADMIN = "admin:replicated-admin-password";
    /** Activation above the registry's least JWKS refetch interval (10 s), as the README asks. */
    private static final Map<String, String> KEYS_TIMING = Map.of("MESH_AUTH_KEYS_RESCAN", "1s", "MESH_AUTH_KEY_ACTIVATION", "11s");

    @TempDir
    static Path work;
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static RedisServer redis;
    private static ServiceProcess index1;
    private static ServiceProcess index2;
    private static ServiceProcess auth1;
    private static ServiceProcess auth2;
    private static ServiceProcess registry;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        int registryPort = FreePort.find();
        index1 = started(index());
        index2 = started(index());
        auth1 = started(auth(index1));
        auth2 = started(auth(index2));
        registry = started(ServiceProcess.builder("registry-service").port(registryPort)
                .env("MESH_AUTH_ENABLED", "true")
                .env("MESH_AUTH_URL", auth1.url())
                .env("MESH_INDEX_URL", index1.url())
                .env("MESH_INTERNAL_TOKEN", INTERNAL_TOKEN));
        assertEquals(201, call(index1, "POST", "/api/v1/users", ADMIN,
                Map.of("name", "alice", "password", "alice-replicated-password")).status);
    }

    private static ServiceProcess.Builder index() {
        return ServiceProcess.builder("index-service")
                .env("REDIS_URL", redis.url())
                .env("MESH_ADMIN_PASSWORD", ADMIN.split(":", 2)[1])
                .env("MESH_INTERNAL_TOKEN", INTERNAL_TOKEN);
    }

    private static ServiceProcess.Builder auth(ServiceProcess index) {
        return ServiceProcess.builder("auth-service")
                .env("MESH_INDEX_URL", index.url())
                .env("MESH_INTERNAL_TOKEN", INTERNAL_TOKEN)
                .env("MESH_AUTH_KEYS_DIR", work.resolve("shared-keys").toString())
                .env(KEYS_TIMING);
    }

    private static ServiceProcess started(ServiceProcess.Builder builder) {
        ServiceProcess service = builder.start();
        services.add(service);
        return service;
    }

    @AfterAll
    static void stop() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    void everyAuthNodeSignsTokensTheRegistryAccepts() {
        for (ServiceProcess auth : List.of(auth1, auth2)) {
            String token = token(auth, "alice:alice-replicated-password", "repository:alice/app:pull,push");
            // 404 NAME_UNKNOWN: the token was accepted (a refused one is a 401 challenge).
            assertEquals(404, registryStatus("/v2/alice/app/tags/list", token), auth.url());
        }
    }

    @Test
    void aRevocationOnOneIndexNodeCountsOnTheOtherAtOnce() {
        Answer created = call(index1, "POST", "/api/v1/tokens", "alice:alice-replicated-password", Map.of("name", "ci"));
        assertEquals(201, created.status, created.text);
        String pat = created.body.path("token").asText();
        assertEquals(200, call(index2, "GET", "/api/v1/user", "alice:" + pat, null).status);
        assertEquals(204, call(index2, "DELETE", "/api/v1/tokens/" + created.body.path("id").asText(),
                "alice:alice-replicated-password", null).status);
        assertEquals(401, call(index1, "GET", "/api/v1/user", "alice:" + pat, null).status, "revoked on the other node");
    }

    /** A key made by one node (a rotation) is published by every node first, then every node signs with it. */
    @Test
    void aRotatedKeyIsPublishedEverywhereBeforeItSigns() {
        String before = kid(token(auth1, null, "repository:alice/app:pull"));
        ServiceProcess rotating = started(auth(index1).env("MESH_AUTH_ROTATE_KEY", "true"));
        JsonNode rotatedJwks = TestHttp.json(get(rotating.url() + "/.well-known/jwks.json", null).body());
        assertEquals(2, rotatedJwks.path("keys").size());
        String rotated = MeshStack.await(Duration.ofSeconds(40), () -> {
            String now = kid(token(auth2, null, "repository:alice/app:pull"));
            String other = kid(token(auth1, null, "repository:alice/app:pull"));
            return !now.equals(before) && now.equals(other) ? now : null;
        }, () -> "auth nodes still sign with " + before);
        assertNotEquals(before, rotated);
        String token = token(auth2, "alice:alice-replicated-password", "repository:alice/app:pull");
        assertEquals(rotated, kid(token));
        assertEquals(404, registryStatus("/v2/alice/app/tags/list", token), "the registry knows the new key");
    }

    // --- helpers ---

    private record Answer(int status, JsonNode body, String text) {
    }

    private static Answer call(ServiceProcess index, String method, String path, String credentials, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(index.url() + path)).timeout(Duration.ofSeconds(10));
        if (credentials != null) {
            request.header("Authorization", TestHttp.basic(credentials));
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(TestHttp.toJson(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = TestHttp.send(request.build());
        return new Answer(response.statusCode(), response.body().isBlank() ? null : TestHttp.json(response.body()), response.body());
    }

    private static String token(ServiceProcess auth, String credentials, String scope) {
        HttpResponse<String> response = get(auth.url() + "/token?service=" + MeshStack.query(registry.hostPort())
                + "&scope=" + MeshStack.query(scope), credentials);
        assertEquals(200, response.statusCode(), response.body());
        return TestHttp.json(response.body()).path("token").asText();
    }

    private static String kid(String jwt) {
        return TestHttp.json(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8)).path("kid").asText();
    }

    private static int registryStatus(String path, String token) {
        return get(registry.url() + path, null, "Bearer " + token).statusCode();
    }

    private static HttpResponse<String> get(String url, String credentials) {
        return get(url, credentials, null);
    }

    private static HttpResponse<String> get(String url, String credentials, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (credentials != null) {
            request.header("Authorization", TestHttp.basic(credentials));
        } else if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return TestHttp.send(request.build());
    }
}
