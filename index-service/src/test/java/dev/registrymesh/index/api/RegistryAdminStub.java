package dev.registrymesh.index.api;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for registry-service's admin API in index-service's own tests (the real registry answers it in the
 * end-to-end tests): answers every DELETE under /admin/v1/ with 200 and records the paths, so tests can see what
 * index-service asked the registry to delete, answers usage with fixed numbers, records settings changes, and answers
 * GETs with what tests put in {@link #GETS}. Applies to every test of the module.
 */
@QuarkusTestResource(RegistryAdminStub.class)
public class RegistryAdminStub implements QuarkusTestResourceLifecycleManager {
    static final List<String> DELETED = new CopyOnWriteArrayList<>();
    static final List<String> CHANGED = new CopyOnWriteArrayList<>();
    /** Answers to GETs (the console's reads), by path; anything else is 404 as from an empty registry. */
    static final Map<String, Canned> GETS = new java.util.concurrent.ConcurrentHashMap<>();

    record Canned(String contentType, String digest, String body) {
    }
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/admin/v1/", exchange -> {
            int status = 404;
            String path = exchange.getRequestURI().getPath();
            byte[] body = "{}".getBytes();
            Canned canned = GETS.get(path);
            if (exchange.getRequestMethod().equals("DELETE")) {
                DELETED.add(path);
                status = 200;
            } else if (path.endsWith("/usage")) {
                status = 200;
                body = "{\"usedBytes\":1234,\"blobs\":3,\"repositories\":1}".getBytes();
            } else if (path.endsWith("/policy-changed")) {
                CHANGED.add(path);
                status = 200;
            } else if (exchange.getRequestMethod().equals("GET") && canned != null) {
                status = 200;
                body = canned.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", canned.contentType());
                if (canned.digest() != null) {
                    exchange.getResponseHeaders().add("Docker-Content-Digest", canned.digest());
                }
            }
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return Map.of("mesh.registry-url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
