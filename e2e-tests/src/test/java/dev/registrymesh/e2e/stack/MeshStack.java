package dev.registrymesh.e2e.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registrymesh.testkit.FreePort;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.TestHttp;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The three real services wired as {@code ./mesh up} wires them: index-service (accounts, decisions, events in),
 * auth-service (asks index-service), registry-service (asks auth-service for keys, tells index-service what
 * happened), all sharing one internal token. Plus a small client for index-service's JSON API.
 */
final class MeshStack implements AutoCloseable {
    static final String ADMIN_PASSWORD = "admin-e2e-password";
    static final String INTERNAL_TOKEN = "stack-e2e-internal-token";
    final ServiceProcess index;
    final ServiceProcess auth;
    ServiceProcess registry;
    private Map<String, String> registryEnv = Map.of();

    private MeshStack(ServiceProcess index, ServiceProcess auth, ServiceProcess registry) {
        this.index = index;
        this.auth = auth;
        this.registry = registry;
    }

    /** How long a deleted user's or organization's name stays unclaimable here (short, so tests can reclaim it). */
    static final Duration NAME_QUARANTINE = Duration.ofSeconds(3);

    static MeshStack start() {
        return start(Map.of(), Map.of());
    }

    /** With extra settings for index-service and auth-service. */
    static MeshStack start(Map<String, String> indexEnv, Map<String, String> authEnv) {
        return start(indexEnv, authEnv, Map.of(), FreePort.find());
    }

    /**
     * With extra settings for index-service, auth-service and registry-service, the registry on {@code registryPort}
     * (for settings that must name it before it starts).
     */
    static MeshStack start(Map<String, String> indexEnv, Map<String, String> authEnv, Map<String, String> registryEnv,
                           int registryPort) {
        ServiceProcess index = null;
        ServiceProcess auth = null;
        // index-service deletes content through the registry's admin API, so it must know the registry's address first.
        try {
            index = ServiceProcess.builder("index-service")
                    .env("MESH_ADMIN_PASSWORD", ADMIN_PASSWORD)
                    .env("MESH_INTERNAL_TOKEN", INTERNAL_TOKEN)
                    .env("MESH_REGISTRY_URL", "http://127.0.0.1:" + registryPort)
                    .env("MESH_INDEX_NAME_QUARANTINE", NAME_QUARANTINE.toSeconds() + "s")
                    .env(indexEnv)
                    .start();
            auth = ServiceProcess.builder("auth-service")
                    .env("MESH_INDEX_URL", index.url())
                    .env("MESH_INTERNAL_TOKEN", INTERNAL_TOKEN)
                    .env(authEnv)
                    .start();
            ServiceProcess registry = ServiceProcess.builder("registry-service")
                    .port(registryPort)
                    .env("MESH_AUTH_ENABLED", "true")
                    .env("MESH_AUTH_URL", auth.url())
                    .env("MESH_INDEX_URL", index.url())
                    .env("MESH_INTERNAL_TOKEN", INTERNAL_TOKEN)
                    .env(registryEnv)
                    .start();
            MeshStack stack = new MeshStack(index, auth, registry);
            stack.registryEnv = registryEnv;
            return stack;
        } catch (RuntimeException e) {
            stopQuietly(auth);
            stopQuietly(index);
            throw e;
        }
    }

    /** Kills registry-service ({@code kill -9}) and starts it again on the same port and data directory. */
    void restartRegistryAfterKill() {
        ServiceProcess old = registry;
        old.kill();
        registry = ServiceProcess.builder("registry-service")
                .port(old.port())
                .env("MESH_AUTH_ENABLED", "true")
                .env("MESH_AUTH_URL", auth.url())
                .env("MESH_INDEX_URL", index.url())
                .env("MESH_INTERNAL_TOKEN", INTERNAL_TOKEN)
                .env("MESH_DATA_DIR", old.dataDir().toString())
                .env(registryEnv)
                .start();
    }

    /** {@code docker://<registry>/<repositoryAndTag>} */
    String ref(String repositoryAndTag) {
        return "docker://" + registry.hostPort() + "/" + repositoryAndTag;
    }

    /** The end of each service's log, for failure messages. */
    String logs() {
        return "\n--- index-service ---\n" + tail(index.log()) + "\n--- auth-service ---\n" + tail(auth.log())
                + "\n--- registry-service ---\n" + tail(registry.log());
    }

    /** An answer of index-service: status and JSON body (null when the body is empty or not JSON). */
    record Answer(int status, JsonNode body, String text) {
        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    /** A call to index-service; {@code user:password} for Basic credentials or null (anonymous); body as JSON or null. */
    Answer call(String method, String path, String credentials, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(index.url() + path)).timeout(Duration.ofSeconds(10));
        if (credentials != null) {
            request.header("Authorization", TestHttp.basic(credentials));
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofString(TestHttp.toJson(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = TestHttp.send(request.build());
        JsonNode json = null;
        if (!response.body().isBlank()) {
            try {
                json = TestHttp.json(response.body());
            } catch (UncheckedIOException notJson) {
                // keep the text only
            }
        }
        return new Answer(response.statusCode(), json, response.body());
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * Polls {@code attempt} until it answers non-null or {@code timeout} passes (testkit's one poll loop); returns the
     * answer, or fails with the last state {@code describe} gives (events and cache expiries are asynchronous).
     */
    static <T> T await(Duration timeout, Supplier<T> attempt, Supplier<String> describe) {
        return dev.registrymesh.testkit.RegistryCluster.await(timeout, attempt, describe);
    }

    @Override
    public void close() {
        stopQuietly(registry);
        stopQuietly(auth);
        stopQuietly(index);
    }

    private static void stopQuietly(ServiceProcess service) {
        if (service != null) {
            try {
                service.stop();
            } catch (RuntimeException e) {
                // keep stopping the others
            }
        }
    }

    private static String tail(String s) {
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }
}
