package dev.registrymesh.index.api;

import static dev.registrymesh.index.api.Api.admin;
import static dev.registrymesh.index.api.Api.anon;
import static dev.registrymesh.index.api.Api.as;
import static dev.registrymesh.index.api.Api.envelope;
import static dev.registrymesh.index.api.Api.granted;
import static dev.registrymesh.index.api.Api.send;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.index.access.Authenticator;
import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.access.ScopeAuthorizer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class InternalApiTest {
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String D1 = "sha256:" + "1".repeat(64);
    static final String D2 = "sha256:" + "2".repeat(64);

    @Inject
    Authenticator authenticator;
    @Inject
    ScopeAuthorizer authorizer;

    /** One fixture for the table below: owner {@code o}, outsider {@code x}, a public and a private repository. */
    static final class Fixture {
        static final String OWNER = Api.unique("own");
        static final String OUTSIDER = Api.unique("out");
        static boolean made;

        static synchronized void make() {
            if (made) {
                return;
            }
            for (String u : List.of(OWNER, OUTSIDER)) {
                admin().body(Map.of("name", u, "password", Api.passwordOf(u))).post("/api/v1/users").then().statusCode(201);
            }
            Api.repository(OWNER, OWNER + "/pub", "public");
            Api.repository(OWNER, OWNER + "/priv", "private");
            made = true;
        }
    }

    @ParameterizedTest(name = "{0} asks {2} on {1}: {3}")
    @CsvSource(delimiter = '|', value = {
            // who     | repository                     | asked                 | granted
            "owner     | OWN/pub                        | pull push delete      | pull push delete",
            "owner     | OWN/priv                       | *                     | pull push delete",
            "owner     | OWN/not-yet                    | push pull             | push pull",
            // A name is authorized exactly as it will be signed: a host-like first component is a namespace.
            "owner     | 127.0.0.1:5000/OWN/priv        | pull                  | ''",
            "owner     | localhost/OWN/priv             | pull push             | ''",
            "owner     | docker.io/OWN/priv             | pull push             | ''",
            "owner     | OUT.dev/OWN/app                | pull push             | ''",
            "owner     | example.io/OWN/app             | pull push             | ''",
            "admin     | no-such-namespace/app          | pull push delete      | pull",
            "admin     | localhost/OWN/app              | pull push             | pull",
            "owner     | OWN/Bad                        | pull                  | ''",
            "owner     | OUT/app                        | pull push             | ''",
            "outsider  | OWN/pub                        | pull push delete      | pull",
            "outsider  | OWN/priv                       | pull                  | ''",
            "outsider  | OWN/not-yet                    | pull push             | ''",
            "anonymous | OWN/pub                        | pull push             | pull",
            "anonymous | OWN/pub                        | *                     | pull",
            "anonymous | OWN/priv                       | pull                  | ''",
            "admin     | OWN/priv                       | pull push delete      | pull push delete",
            "admin     | library/x                      | push                  | push",
            "owner     | library/x                      | push                  | ''",
            "owner     | OWN/pub                        | fly                   | ''"})
    void repositoryScopes(String who, String repository, String asked, String expected) {
        Fixture.make();
        String name = repository.replace("OWN", Fixture.OWNER).replace("OUT", Fixture.OUTSIDER);
        String subject = switch (who) {
            case "owner" -> Fixture.OWNER;
            case "outsider" -> Fixture.OUTSIDER;
            case "admin" -> "admin";
            default -> null;
        };
        List<String> want = expected.isEmpty() ? List.of() : Arrays.asList(expected.split(" "));
        assertEquals(want, granted(subject, subject == null ? null : "password", name, asked.split(" ")));
    }

    @Test
    void answersEveryScopeInOrderAndTheCatalogOnlyToAdmins() {
        Fixture.make();
        Map<String, Object> body = Map.of("subject", Fixture.OWNER, "credential", "password", "scopes", List.of(
                Map.of("type", "registry", "name", "catalog", "actions", List.of("*")),
                Map.of("type", "repository", "name", Fixture.OWNER + "/pub", "actions", List.of("pull")),
                Map.of("type", "unknown", "name", "x", "actions", List.of("pull"))));
        anon().body(body).post("/internal/v1/authorize").then().statusCode(200)
                .body("access.size()", equalTo(3))
                .body("access[0].actions.size()", equalTo(0))
                .body("access[1].name", equalTo(Fixture.OWNER + "/pub")).body("access[1].actions[0]", equalTo("pull"))
                .body("access[2].actions.size()", equalTo(0));
        Map<String, Object> adminBody = Map.of("subject", "admin", "credential", "password", "scopes", List.of(
                Map.of("type", "registry", "name", "catalog", "actions", List.of("*"))));
        anon().body(adminBody).post("/internal/v1/authorize").then().statusCode(200).body("access[0].actions[0]", equalTo("*"));
    }

    @Test
    void authorizeRejectsUnknownSubjectsAndCredentials() {
        Fixture.make();
        assertEquals(401, Api.authorizeStatus(Api.unique("ghost"), "password", "a/b"));
        assertEquals(401, Api.authorizeStatus(Fixture.OWNER, "pat:doesnotexist", "a/b"));
        assertEquals(401, Api.authorizeStatus(Fixture.OWNER, "magic", "a/b"));
        anon().post("/internal/v1/authorize").then().statusCode(400);
    }

    @Test
    void authenticateAnswersTheContract() {
        Fixture.make();
        anon().body(Map.of("username", Fixture.OWNER, "password", Api.passwordOf(Fixture.OWNER))).post("/internal/v1/authenticate")
                .then().statusCode(200).body("subject", equalTo(Fixture.OWNER)).body("credential", equalTo("password"))
                .body("admin", equalTo(false));
        anon().body(Map.of("username", "admin", "password", Api.ADMIN_PASSWORD)).post("/internal/v1/authenticate")
                .then().statusCode(200).body("admin", equalTo(true));
        anon().body(Map.of("username", Fixture.OWNER, "password", "wrong")).post("/internal/v1/authenticate")
                .then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        anon().body(Map.of("username", Api.unique("ghost"), "password", "whatever")).post("/internal/v1/authenticate")
                .then().statusCode(401);
        anon().body(Map.of("username", Fixture.OWNER)).post("/internal/v1/authenticate").then().statusCode(401);
        anon().body("not json").post("/internal/v1/authenticate").then().statusCode(400);
    }

    @Test
    void cachedDecisionsTakeWellUnderAMillisecond() {
        Fixture.make();
        Caller caller = authenticator.resume(Fixture.OWNER, "password");
        List<ScopeAuthorizer.Scope> scopes = List.of(new ScopeAuthorizer.Scope("repository", Fixture.OWNER + "/priv", List.of("pull", "push")));
        for (int i = 0; i < 20_000; i++) {
            authorizer.authorize(authenticator.resume(Fixture.OWNER, "password"), scopes);
        }
        int rounds = 50_000;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            authorizer.authorize(authenticator.resume(Fixture.OWNER, "password"), scopes);
        }
        double micros = (System.nanoTime() - start) / 1000.0 / rounds;
        System.out.printf("cached authorization decision: %.2f µs%n", micros);
        // Typically a few µs; the bound leaves room for a busy CI machine.
        assertTrue(micros < 250, "a cached decision took " + micros + " µs");
    }

    @Test
    void eventsSetTagsCountPullsAndCreateRepositories() {
        String alice = Api.user("alice");
        String repo = alice + "/app";
        send(envelope(Api.unique("e"), "push", repo, "v1", D1, MANIFEST, alice));
        as(alice).get("/api/v1/repositories/" + repo).then().statusCode(200)
                .body("visibility", equalTo("private")).body("tagCount", equalTo(1))
                .body("lastPushed", equalTo("2024-05-01T10:00:00.123456789Z"));
        send(envelope(Api.unique("e"), "push", repo, "v2", D2, MANIFEST, alice));
        send(envelope(Api.unique("e"), "push", repo, "latest", D2, MANIFEST, alice));
        // Blob pushes and pulls do not count.
        send(envelope(Api.unique("e"), "push", repo, null, D1, "application/octet-stream", alice));
        send(envelope(Api.unique("e"), "pull", repo, null, D1, "application/vnd.oci.image.layer.v1.tar+gzip", alice));
        send(envelope(Api.unique("e"), "pull", repo, "v1", D1, MANIFEST, alice));
        send(envelope(Api.unique("e"), "pull", repo, null, D2, MANIFEST, null));
        as(alice).get("/api/v1/repositories/" + repo).then().statusCode(200)
                .body("tagCount", equalTo(3)).body("pullCount", equalTo(2));

        send(envelope(Api.unique("e"), "delete", repo, "v1", null, null, alice));
        as(alice).get("/api/v1/repositories/" + repo).then().body("tagCount", equalTo(2));
        // A manifest delete drops every tag that pointed at it.
        send(envelope(Api.unique("e"), "delete", repo, null, D2, null, alice));
        as(alice).get("/api/v1/repositories/" + repo).then().body("tagCount", equalTo(0));
    }

    @Test
    void eventsAreAppliedOncePerId() {
        String alice = Api.user("alice");
        String repo = alice + "/app";
        String push = Api.unique("e");
        String pull = Api.unique("e");
        for (int i = 0; i < 3; i++) {
            send(envelope(push, "push", repo, "v1", D1, MANIFEST, alice));
            send(envelope(pull, "pull", repo, "v1", D1, MANIFEST, alice));
        }
        as(alice).get("/api/v1/repositories/" + repo).then().body("tagCount", equalTo(1)).body("pullCount", equalTo(1));
        given().contentType("application/vnd.docker.distribution.events.v1+json")
                .body(envelope(pull, "pull", repo, "v1", D1, MANIFEST, alice))
                .post("/internal/v1/events").then().statusCode(200).body("duplicates", equalTo(1)).body("applied", equalTo(0));
    }

    /** What a busy registry sends: large batches, mostly manifest pulls of a few repositories. */
    @Inject
    dev.registrymesh.index.events.EventIntake intake;

    @Test
    void largeBatchesAreAppliedWhole() throws Exception {
        String alice = Api.user("alice");
        for (int round = 0; round < 3; round++) {
            List<Object> events = new java.util.ArrayList<>();
            String repeated = Api.unique("e");
            for (int i = 0; i < 2_000; i++) {
                String repo = alice + "/app" + (i % 4);
                String id = i == 1_999 ? repeated : Api.unique("e");
                String action = i < 4 ? "push" : "pull";
                events.addAll((List<?>) envelope(id, action, repo, action.equals("push") ? "v1" : null, D1, MANIFEST, alice).get("events"));
            }
            // Sent twice in one batch: applied once.
            events.addAll((List<?>) envelope(repeated, "pull", alice + "/app0", null, D1, MANIFEST, alice).get("events"));
            String body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("events", events));
            long start = System.nanoTime();
            given().contentType("application/vnd.docker.distribution.events.v1+json").body(body)
                    .post("/internal/v1/events").then().statusCode(200)
                    .body("received", equalTo(2_001)).body("applied", equalTo(2_000)).body("duplicates", equalTo(1));
            long http = (System.nanoTime() - start) / 1_000_000;
            // The same shape applied directly (fresh ids), without HTTP and the test client's own cost.
            String direct = body.replace("\"id\":\"", "\"id\":\"d" + round + "-");
            long t = System.nanoTime();
            intake.accept(new com.fasterxml.jackson.databind.ObjectMapper().readTree(direct));
            System.out.printf("index event intake: 2001 events in one POST in %d ms, applied directly in %d ms%n", http,
                    (System.nanoTime() - t) / 1_000_000);
        }
        for (int r = 0; r < 4; r++) {
            as(alice).get("/api/v1/repositories/" + alice + "/app" + r).then().statusCode(200)
                    .body("tagCount", equalTo(1)).body("pullCount", equalTo(6 * 499));
        }
    }

    @Test
    void pushesByOutsidersCreateNothing() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        send(envelope(Api.unique("e"), "push", alice + "/bobs", "v1", D1, MANIFEST, bob));
        send(envelope(Api.unique("e"), "push", alice + "/anon", "v1", D1, MANIFEST, null));
        admin().get("/api/v1/repositories/" + alice + "/bobs").then().statusCode(404);
        admin().get("/api/v1/repositories/" + alice + "/anon").then().statusCode(404);
    }

    @Test
    void teamPushesIntoOrgCreateTheRecordWithTheDefaultVisibility() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        String acme = Api.org(alice, "acme");
        as(alice).body(Map.of("name", "devs", "role", "push")).post("/api/v1/orgs/" + acme + "/teams").then().statusCode(201);
        as(alice).put("/api/v1/orgs/" + acme + "/teams/devs/members/" + bob).then().statusCode(200);
        send(envelope(Api.unique("e"), "push", acme + "/svc", "1.0", D1, MANIFEST, bob));
        as(bob).get("/api/v1/repositories/" + acme + "/svc").then().statusCode(200).body("visibility", equalTo("private"))
                .body("description", equalTo(""));
        anon().get("/api/v1/repositories/" + acme + "/svc").then().statusCode(404);
    }

    @Test
    void malformedEnvelopesAre400() {
        given().contentType("application/vnd.docker.distribution.events.v1+json").body("{oops")
                .post("/internal/v1/events").then().statusCode(400).body("errors[0].code", equalTo("INVALID_REQUEST"));
        given().contentType("application/json").body("{\"nothing\":1}")
                .post("/internal/v1/events").then().statusCode(400);
        given().contentType("application/json").body("{\"events\":[{\"id\":\"" + Api.unique("e") + "\",\"action\":\"push\",\"target\":{}}]}")
                .post("/internal/v1/events").then().statusCode(200).body("skipped", equalTo(1));
        given().contentType("text/plain").body("{}").post("/internal/v1/events").then().statusCode(415)
                .body("errors[0].message", org.hamcrest.Matchers.notNullValue()).body("errors[0].detail", nullValue());
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1,true", "127.9.9.9,true", "::1,true", "10.0.0.1,false", "192.168.1.1,false", "'',false"})
    void onlyLoopbackIsLoopback(String host, boolean loopback) {
        assertEquals(loopback, InternalGuard.isLoopback(host.isEmpty() ? null : host));
    }
}
