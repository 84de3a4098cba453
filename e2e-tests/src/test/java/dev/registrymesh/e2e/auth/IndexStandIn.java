package dev.registrymesh.e2e.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Stands in for index-service in the auth interop tests: a small real HTTP server implementing the internal
 * authenticate/authorize contract for fixed users (alice and bob own their namespaces, admin may do all,
 * everyone may pull library/public). Replace with the real index-service process once it exists.
 */
final class IndexStandIn implements AutoCloseable {
    static final String INTERNAL_TOKEN = "e2e-internal-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> PASSWORDS = Map.of("alice", "alice-secret", "bob", "bob-secret", "admin", "admin-secret");
    private final HttpServer server;

    IndexStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/internal/v1/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!INTERNAL_TOKEN.equals(ex.getRequestHeaders().getFirst("X-Mesh-Internal-Token"))) {
                send(ex, 403, "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"internal token required\"}]}");
                return;
            }
            JsonNode body = JSON.readTree(ex.getRequestBody());
            switch (ex.getRequestURI().getPath()) {
                case "/internal/v1/authenticate" -> {
                    String user = body.path("username").asText();
                    if (!body.path("password").asText().equals(PASSWORDS.get(user))) {
                        send(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
                        return;
                    }
                    send(ex, 200, JSON.createObjectNode().put("subject", user).put("credential", "password")
                            .put("admin", user.equals("admin")).toString());
                }
                case "/internal/v1/authorize" -> {
                    String subject = body.path("subject").isTextual() ? body.path("subject").asText() : null;
                    ObjectNode out = JSON.createObjectNode();
                    ArrayNode access = out.putArray("access");
                    for (JsonNode scope : body.path("scopes")) {
                        ArrayNode granted = JSON.createArrayNode();
                        for (JsonNode action : scope.path("actions")) {
                            if (allowed(subject, scope.path("type").asText(), scope.path("name").asText(), action.asText())) {
                                granted.add(action.asText());
                            }
                        }
                        if (!granted.isEmpty()) {
                            access.addObject().put("type", scope.path("type").asText())
                                    .put("name", scope.path("name").asText()).set("actions", granted);
                        }
                    }
                    send(ex, 200, out.toString());
                }
                default -> send(ex, 404, "{}");
            }
        }
    }

    private static boolean allowed(String subject, String type, String name, String action) {
        if ("admin".equals(subject)) {
            return true;
        }
        if (!type.equals("repository")) {
            return false;
        }
        if (name.equals("library/public") && action.equals("pull")) {
            return true;
        }
        return subject != null && name.startsWith(subject + "/");
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
