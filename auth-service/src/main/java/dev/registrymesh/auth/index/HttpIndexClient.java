package dev.registrymesh.auth.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registrymesh.common.auth.Access;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link IndexClient} over HTTP (blocking; called from worker threads). */
public final class HttpIndexClient implements IndexClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String baseUrl;
    private final Optional<String> internalToken;

    public HttpIndexClient(String baseUrl, Optional<String> internalToken) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.internalToken = internalToken;
    }

    @Override
    public Identity authenticate(String username, String password) {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("password", password);
        JsonNode answer = post("/internal/v1/authenticate", body);
        String subject = answer.path("subject").asText(null);
        if (subject == null || subject.isEmpty()) {
            throw new IndexException(IndexException.Kind.UNAVAILABLE, "index-service answered without a subject", null);
        }
        return new Identity(subject, answer.path("credential").asText("password"), answer.path("admin").asBoolean(false),
                answer.path("binding").asText(null));
    }

    @Override
    public List<Access> authorize(Identity identity, List<Access> requested) {
        ObjectNode body = JSON.createObjectNode();
        body.put("subject", identity.subject());
        body.put("credential", identity.credential());
        if (identity.binding() != null) {
            body.put("binding", identity.binding());
        }
        ArrayNode scopes = body.putArray("scopes");
        for (Access a : requested) {
            ObjectNode s = scopes.addObject().put("type", a.type()).put("name", a.name());
            a.actions().forEach(s.putArray("actions")::add);
        }
        JsonNode answer = post("/internal/v1/authorize", body);
        List<Access> granted = new ArrayList<>();
        for (JsonNode entry : answer.path("access")) {
            List<String> actions = new ArrayList<>();
            entry.path("actions").forEach(n -> actions.add(n.asText()));
            String type = entry.path("type").asText("");
            String name = entry.path("name").asText("");
            if (!type.isEmpty() && !name.isEmpty() && !actions.isEmpty()) {
                granted.add(new Access(type, name, actions));
            }
        }
        return granted;
    }

    private JsonNode post(String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        internalToken.ifPresent(t -> request.header("X-Mesh-Internal-Token", t));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IndexException(IndexException.Kind.UNAVAILABLE, "index-service unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexException(IndexException.Kind.UNAVAILABLE, "interrupted", e);
        }
        if (response.statusCode() == 401) {
            throw new IndexException(IndexException.Kind.UNAUTHORIZED, "credentials refused", null);
        }
        if (response.statusCode() == 429) {
            // index-service's own limit (password checks at once): the client should wait, not see an outage.
            long seconds = response.headers().firstValue("Retry-After").map(v -> {
                try {
                    return Long.parseLong(v.trim());
                } catch (NumberFormatException e) {
                    return 1L;
                }
            }).orElse(1L);
            throw new IndexException(IndexException.Kind.TOO_MANY_REQUESTS, "index-service asks to wait",
                    null, Duration.ofSeconds(Math.max(1, seconds)));
        }
        if (response.statusCode() != 200) {
            throw new IndexException(IndexException.Kind.UNAVAILABLE, "index-service " + path + " answered " + response.statusCode(), null);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IndexException(IndexException.Kind.UNAVAILABLE, "index-service sent invalid JSON", e);
        }
    }
}
