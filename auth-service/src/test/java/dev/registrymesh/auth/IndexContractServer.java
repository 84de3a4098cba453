package dev.registrymesh.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny real implementation of index-service's internal API (contract 1 of the team context) for a few
 * fixed users, on 127.0.0.1 and a free port, so auth-service is tested over HTTP without index-service.
 *
 * <pre>
 * alice / alice-secret        password        owns alice/*
 * alice / alice-pat-pull      pat:1           personal access token limited to pull
 * alice / alice-pat-revoked   pat:2           authenticates, then authorize says 401 (revoked since)
 * bob   / bob-secret          password        owns bob/*
 * acme+ci / robot-secret      robot:acme+ci   pull and push on acme/*
 * admin / admin-secret        password        everything, and registry:catalog:*
 * anyone (also anonymous)                     pull on library/public
 * busy / anything             (429, Retry-After: 7, as index-service under too many password checks)
 * </pre>
 * Authenticate answers the binding {@code <subject>/<credential>/<generation>}; authorize refuses a binding
 * (a refresh token's) of an older generation: {@link #endSignIns} starts a new one, as a password change would.
 */
public final class IndexContractServer implements AutoCloseable {
    public static final String INTERNAL_TOKEN = "test-internal-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String[]> USERS = Map.of(
            "alice\u0000alice-secret", new String[] {"alice", "password"},
            "alice\u0000alice-pat-pull", new String[] {"alice", "pat:1"},
            "alice\u0000alice-pat-revoked", new String[] {"alice", "pat:2"},
            "bob\u0000bob-secret", new String[] {"bob", "password"},
            "acme+ci\u0000robot-secret", new String[] {"acme+ci", "robot:acme+ci"},
            "admin\u0000admin-secret", new String[] {"admin", "password"});

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    public final AtomicInteger authenticateCalls = new AtomicInteger();
    public final AtomicInteger authorizeCalls = new AtomicInteger();
    private final java.util.Map<String, Integer> generations = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Every binding of {@code subject} handed out so far stops matching: what a password change or a sign-out does
     * ({@code /test/end-sign-ins?subject=}).
     */
    public void endSignIns(String subject) {
        generations.merge(subject, 1, Integer::sum);
    }

    private String binding(String subject, String credential) {
        return subject + "/" + credential + "/" + generations.getOrDefault(subject, 0);
    }

    public IndexContractServer() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    private void handle(HttpServerRequest req) {
        if (req.path().equals("/test/counts")) {
            req.response().end("{\"authenticate\":" + authenticateCalls.get() + ",\"authorize\":" + authorizeCalls.get() + "}");
            return;
        }
        if (req.path().equals("/test/end-sign-ins")) {
            endSignIns(req.getParam("subject"));
            req.response().end("{}");
            return;
        }
        if (!INTERNAL_TOKEN.equals(req.getHeader("X-Mesh-Internal-Token"))) {
            req.response().setStatusCode(403).end("{\"errors\":[{\"code\":\"DENIED\",\"message\":\"internal token required\"}]}");
            return;
        }
        req.body().onSuccess(buf -> {
            try {
                JsonNode body = JSON.readTree(buf.toString());
                switch (req.path()) {
                    case "/internal/v1/authenticate" -> authenticate(req, body);
                    case "/internal/v1/authorize" -> authorize(req, body);
                    default -> req.response().setStatusCode(404).end();
                }
            } catch (Exception e) {
                req.response().setStatusCode(400).end();
            }
        });
    }

    private void authenticate(HttpServerRequest req, JsonNode body) {
        authenticateCalls.incrementAndGet();
        if ("busy".equals(body.path("username").asText())) {
            // index-service's bound on password checks at once
            req.response().setStatusCode(429).putHeader("Retry-After", "7")
                    .end("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"too many sign-ins at once\"}]}");
            return;
        }
        String[] user = USERS.get(body.path("username").asText() + "\u0000" + body.path("password").asText());
        if (user == null) {
            req.response().setStatusCode(401).end("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
            return;
        }
        ObjectNode out = JSON.createObjectNode().put("subject", user[0]).put("credential", user[1]).put("admin", user[0].equals("admin"))
                .put("binding", binding(user[0], user[1]));
        req.response().putHeader("Content-Type", "application/json").end(out.toString());
    }

    private void authorize(HttpServerRequest req, JsonNode body) {
        authorizeCalls.incrementAndGet();
        String subject = body.path("subject").isNull() ? null : body.path("subject").asText(null);
        String credential = body.path("credential").isNull() ? null : body.path("credential").asText(null);
        String binding = body.path("binding").asText(null);
        if ("pat:2".equals(credential) || (binding != null && !binding.equals(binding(subject, credential)))) {
            req.response().setStatusCode(401).end("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"token revoked\"}]}");
            return;
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode access = out.putArray("access");
        for (JsonNode scope : body.path("scopes")) {
            String type = scope.path("type").asText();
            String name = scope.path("name").asText();
            ArrayNode granted = JSON.createArrayNode();
            for (JsonNode a : scope.path("actions")) {
                String action = a.asText();
                if (allowed(subject, credential, type, name, action)) {
                    granted.add(action);
                }
            }
            if (!granted.isEmpty()) {
                access.addObject().put("type", type).put("name", name).set("actions", granted);
            }
        }
        req.response().putHeader("Content-Type", "application/json").end(out.toString());
    }

    private static boolean allowed(String subject, String credential, String type, String name, String action) {
        if (type.equals("registry")) {
            return "admin".equals(subject) && name.equals("catalog");
        }
        if ("admin".equals(subject)) {
            return true;
        }
        if (name.equals("library/public") && action.equals("pull")) {
            return true;
        }
        if (subject == null) {
            return false;
        }
        if ("pat:1".equals(credential) && !action.equals("pull")) {
            return false;
        }
        if (subject.equals("acme+ci")) {
            return name.startsWith("acme/") && (action.equals("pull") || action.equals("push"));
        }
        return name.startsWith(subject + "/");
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
