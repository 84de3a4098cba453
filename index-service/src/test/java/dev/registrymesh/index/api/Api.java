package dev.registrymesh.index.api;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Shortcuts for the API tests: callers, fixtures with unique names, internal calls. */
final class Api {
    static final String ADMIN_PASSWORD = "admin-test-password";

    private Api() {
    }

    static String unique(String base) {
        return base + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static String passwordOf(String user) {
        return "pw-" + user + "-long-enough";
    }

    static RequestSpecification anon() {
        return given().contentType(ContentType.JSON);
    }

    static RequestSpecification admin() {
        return as("admin", ADMIN_PASSWORD);
    }

    static RequestSpecification as(String user) {
        return as(user, passwordOf(user));
    }

    static RequestSpecification as(String user, String secret) {
        return given().auth().preemptive().basic(user, secret).contentType(ContentType.JSON);
    }

    static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    /** A new user with password {@link #passwordOf}. */
    static String user(String base) {
        String name = unique(base);
        admin().body(Map.of("name", name, "password", passwordOf(name))).post("/api/v1/users").then().statusCode(201);
        return name;
    }

    static String org(String owner, String base) {
        String name = unique(base);
        as(owner).body(Map.of("name", name)).post("/api/v1/orgs").then().statusCode(201);
        return name;
    }

    static void repository(String owner, String fullName, String visibility) {
        as(owner).body(Map.of("name", fullName, "visibility", visibility)).post("/api/v1/repositories").then().statusCode(201);
    }

    /** The actions granted on one repository scope, as auth-service would ask. */
    static List<String> granted(String subject, String credential, String repository, String... actions) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("subject", subject);
        body.put("credential", credential);
        body.put("scopes", List.of(Map.of("type", "repository", "name", repository, "actions", List.of(actions))));
        return anon().body(body).post("/internal/v1/authorize").then().statusCode(200)
                .extract().jsonPath().getList("access[0].actions", String.class);
    }

    static int authorizeStatus(String subject, String credential, String repository) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("subject", subject);
        body.put("credential", credential);
        body.put("scopes", List.of(Map.of("type", "repository", "name", repository, "actions", List.of("pull"))));
        return anon().body(body).post("/internal/v1/authorize").statusCode();
    }

    /** A CNCF Distribution notification envelope with one event. */
    static Map<String, Object> envelope(String id, String action, String repository, String tag, String digest, String mediaType,
                                        String actor) {
        Map<String, Object> target = new java.util.HashMap<>();
        target.put("repository", repository);
        target.put("digest", digest);
        target.put("mediaType", mediaType);
        target.put("size", 100);
        target.put("length", 100);
        if (tag != null) {
            target.put("tag", tag);
        }
        Map<String, Object> event = new java.util.HashMap<>();
        event.put("id", id);
        event.put("timestamp", "2024-05-01T10:00:00.123456789Z");
        event.put("action", action);
        event.put("target", target);
        event.put("request", Map.of("id", "r1", "addr", "127.0.0.1:5555", "host", "127.0.0.1:5000", "method", "PUT", "useragent", "skopeo"));
        event.put("actor", actor == null ? Map.of() : Map.of("name", actor));
        event.put("source", Map.of("addr", "node1:5000", "instanceID", "i-1"));
        return Map.of("events", List.of(event));
    }

    static void send(Map<String, Object> envelope) {
        given().contentType("application/vnd.docker.distribution.events.v1+json").body(envelope)
                .post("/internal/v1/events").then().statusCode(200);
    }
}
