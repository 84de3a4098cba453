package dev.registrymesh.e2e.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.HostileRequests;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real services together, driven by skopeo and index-service's API: accounts made through /api/v1 decide
 * who may push and pull on registry-service (through auth-service's tokens), personal access tokens work as
 * passwords until revoked, and the registry's events reach the index (tag counts, pull counts, search).
 * One start of the three services for the class; each test works on its own repositories.
 */
class MeshStackTest {
    private static final String ALICE = "alice:alice-e2e-password";
    private static final String BOB = "bob:bob-e2e-password";
    /** Events travel registry -> index asynchronously (a durable queue, batched POSTs). */
    private static final Duration EVENTS = Duration.ofSeconds(15);
    /** auth-service reuses index-service's decisions for MESH_AUTH_DECISION_CACHE_TTL (5 s). */
    private static final Duration DECISIONS = Duration.ofSeconds(10);

    private static MeshStack mesh;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Skopeo.available(), "skopeo is not installed");
        mesh = MeshStack.start();
        for (String credentials : List.of(ALICE, BOB)) {
            String[] userAndPassword = credentials.split(":", 2);
            MeshStack.Answer created = mesh.call("POST", "/api/v1/users", "admin:" + MeshStack.ADMIN_PASSWORD,
                    Map.of("name", userAndPassword[0], "password", userAndPassword[1]));
            assertEquals(201, created.status(), "create " + userAndPassword[0] + ": " + created);
        }
    }

    @AfterAll
    static void stop() {
        Closing.all(mesh);
    }

    @Test
    void onlyTheOwnerPushesIntoTheirNamespace() {
        assertPushed("alice/owned:v1", "--dest-creds", ALICE);

        Skopeo.Result bob = push("alice/owned:v2", "--dest-creds", BOB);
        assertFalse(bob.ok(), "bob must not push into alice/");
        assertRefused(bob, "denied", "unauthorized", "insufficient");

        Skopeo.Result anonymous = push("alice/owned:v3");
        assertFalse(anonymous.ok(), "anonymous push must fail");
        // skopeo's first request is a blob HEAD, refused without a body: it words that as "denied".
        assertRefused(anonymous, "unauthorized", "authentication required", "denied");

        Skopeo.Result wrongPassword = push("alice/owned:v4", "--dest-creds", "alice:not-the-password");
        assertFalse(wrongPassword.ok(), "a wrong password must fail");
        assertRefused(wrongPassword, "unauthorized", "invalid username/password", "authentication required");
    }

    @Test
    void privateRepositoryIsHiddenUntilMadePublic() {
        assertPushed("alice/app:v1", "--dest-creds", ALICE);
        assertPushed("alice/app:v2", "--dest-creds", ALICE);
        JsonNode record = awaitRecord("alice/app", r -> r.path("tagCount").asInt() == 2);
        assertEquals("private", record.path("visibility").asText(), record.toString());
        assertEquals(List.of("v1", "v2"), texts(record.path("tags")));

        assertFalse(pull("alice/app:v1", "private-anon").ok(), "anonymous pull of a private repository");
        assertFalse(pull("alice/app:v1", "private-bob", "--src-creds", BOB).ok(), "bob pulls alice's private repository");
        assertTrue(searchNames("app", ALICE).contains("alice/app"), "alice finds her repository");
        assertFalse(searchNames("app", null).contains("alice/app"), "anonymous search must not show a private repository");
        assertFalse(searchNames("app", BOB).contains("alice/app"), "bob's search must not show alice's private repository");
        assertEquals(404, mesh.call("GET", "/api/v1/repositories/alice/app", BOB, null).status(), "private names never leak");

        MeshStack.Answer published = mesh.call("PATCH", "/api/v1/repositories/alice/app", ALICE, Map.of("visibility", "public"));
        assertEquals(200, published.status(), published.toString());

        // auth-service may still hold the earlier "no" to anonymous and to bob for a few seconds.
        assertTrue(searchNames("app", null).contains("alice/app"), "a public repository is found anonymously");
        MeshStack.await(DECISIONS, () -> pull("alice/app:v2", "public-anon").ok() ? true : null,
                () -> "anonymous pull after making alice/app public: " + pull("alice/app:v2", "public-anon").stderr());
        MeshStack.await(DECISIONS, () -> pull("alice/app:v1", "public-bob", "--src-creds", BOB).ok() ? true : null,
                () -> "bob's pull after making alice/app public: " + pull("alice/app:v1", "public-bob", "--src-creds", BOB).stderr());
        Skopeo.Result bobPush = push("alice/app:v3", "--dest-creds", BOB);
        assertFalse(bobPush.ok(), "public means pull, not push");
        assertRefused(bobPush, "denied", "unauthorized", "insufficient");
    }

    @Test
    void pullCountRisesAfterAPull() {
        assertPushed("alice/counted:v1", "--dest-creds", ALICE);
        long before = awaitRecord("alice/counted", r -> r.path("tagCount").asInt() == 1).path("pullCount").asLong();

        Skopeo.Result pulled = pull("alice/counted:v1", "counted", "--src-creds", ALICE);
        assertTrue(pulled.ok(), pulled.stderr() + mesh.logs());

        awaitRecord("alice/counted", r -> r.path("pullCount").asLong() > before);
    }

    @Test
    void personalAccessTokenWorksAsPasswordUntilRevoked() {
        MeshStack.Answer created = mesh.call("POST", "/api/v1/tokens", ALICE,
                Map.of("name", "e2e", "actions", List.of("pull", "push"), "repositories", List.of("alice/*")));
        assertEquals(201, created.status(), created.toString());
        String id = created.body().path("id").asText();
        String secret = created.body().path("token").asText();
        assertFalse(secret.isEmpty(), created.toString());
        String tokenCreds = "alice:" + secret;

        assertPushed("alice/tokened:v1", "--dest-creds", tokenCreds);
        assertTrue(inspect("alice/tokened:v1", tokenCreds).ok(), "the token reads too");

        MeshStack.Answer revoked = mesh.call("DELETE", "/api/v1/tokens/" + id, ALICE, null);
        assertEquals(204, revoked.status(), revoked.toString());

        MeshStack.await(DECISIONS, () -> inspect("alice/tokened:v1", tokenCreds).ok() ? null : true,
                () -> "the revoked token still reads alice/tokened");
        Skopeo.Result push = push("alice/tokened:v2", "--dest-creds", tokenCreds);
        assertFalse(push.ok(), "a revoked token must not push");
        assertRefused(push, "unauthorized", "authentication required", "invalid username/password");
        assertTrue(inspect("alice/tokened:v1", ALICE).ok(), "the password still works");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", value = {
            "ubuntu, docker.io/library/ubuntu:latest, docker.io, library/ubuntu, latest, ubuntu:latest, ubuntu",
            "ghcr.io/acme/tool:1.2, ghcr.io/acme/tool:1.2, ghcr.io, acme/tool, 1.2, ghcr.io/acme/tool:1.2, ghcr.io/acme/tool",
            "alice/app:v1, docker.io/alice/app:v1, docker.io, alice/app, v1, alice/app:v1, alice/app",
    })
    void resolveAnswersTheCanonicalForm(String input, String canonical, String registry, String repository, String tag,
                                        String familiar, String familiarName) {
        MeshStack.Answer answer = mesh.call("GET", "/v1/resolve?reference=" + MeshStack.query(input), null, null);
        assertEquals(200, answer.status(), answer.toString());
        JsonNode body = answer.body();
        assertEquals(input, body.path("input").asText());
        assertEquals(canonical, body.path("canonical").asText());
        assertEquals(registry, body.path("registry").asText());
        assertEquals(repository, body.path("repository").asText());
        assertEquals(tag, body.path("tag").asText());
        assertTrue(body.path("digest").isNull(), answer.toString());
        assertEquals(familiar, body.path("familiar").asText());
        assertEquals(familiarName, body.path("familiarName").asText());
    }

    @Test
    void resolveRefusesAnInvalidReference() {
        MeshStack.Answer answer = mesh.call("GET", "/v1/resolve?reference=Ubuntu", null, null);
        assertEquals(400, answer.status(), answer.toString());
        assertEquals("NAME_INVALID", answer.body().path("errors").path(0).path("code").asText(), answer.toString());
    }

    // ---------------------------------------------------------------------------------------------------

    private static Skopeo.Result push(String repositoryAndTag, String... args) {
        String tag = repositoryAndTag.substring(repositoryAndTag.lastIndexOf(':') + 1);
        Path layout = work.resolve("src-" + repositoryAndTag.replace('/', '_').replace(':', '_'));
        TestImages.Image image = TestImages.writeImage(layout, repositoryAndTag.hashCode(), 1, 20_000, tag);
        return Skopeo.copy(image.ociRef(), mesh.ref(repositoryAndTag), args);
    }

    /** As packaged (RegistryMain), request targets java.net.URI refuses reach the guard: the spec's body, not a bare 400. */
    @Test
    void badRequestTargetsGetTheSpecsBody() {
        for (HostileRequests.Case c : HostileRequests.badTargets("alice/app")) {
            HostileRequests.check(mesh.registry.port(), c);
        }
    }

    /**
     * As packaged, every service answers what Netty's decoder refuses (over-long lines and headers, malformed
     * requests) and transfer codings it cannot frame with the spec's body, and serves nothing hidden behind a
     * request it cannot frame: DecoderRefusals and TransferCodingGuard reach each of them.
     */
    @Test
    void framingErrorsGetTheSpecsBodyAndCloseTheConnectionInEveryService() {
        Map<String, ServiceProcess> services = Map.of("/v2/alice/app/manifests/latest", mesh.registry, "/token", mesh.auth,
                "/api/v1/tokens", mesh.index);
        services.forEach((path, service) -> {
            for (HostileRequests.Case c : HostileRequests.decoderFailures(path)) {
                HostileRequests.check(service.port(), c);
            }
            for (HostileRequests.Case c : HostileRequests.transferCodings(path)) {
                HostileRequests.check(service.port(), c);
            }
            for (String raw : HostileRequests.unframedThenSmuggled(path)) {
                HostileRequests.checkClosedAfterOneAnswer(service.port(), raw);
            }
        });
    }

    private static void assertPushed(String repositoryAndTag, String... args) {
        Skopeo.Result result = push(repositoryAndTag, args);
        assertTrue(result.ok(), "push " + repositoryAndTag + ": " + result.stderr() + mesh.logs());
    }

    private static Skopeo.Result pull(String repositoryAndTag, String into, String... args) {
        Path layout = work.resolve("pulled-" + into + "-" + System.nanoTime());
        return Skopeo.copy(mesh.ref(repositoryAndTag), "oci:" + layout + ":x", args);
    }

    private static Skopeo.Result inspect(String repositoryAndTag, String credentials) {
        return Skopeo.inspect(mesh.ref(repositoryAndTag), "--creds", credentials);
    }

    private static void assertRefused(Skopeo.Result result, String... anyOf) {
        String stderr = result.stderr().toLowerCase(Locale.ROOT);
        for (String phrase : anyOf) {
            if (stderr.contains(phrase)) {
                return;
            }
        }
        throw new AssertionError("expected a refusal naming one of " + List.of(anyOf) + ", got:\n" + result.stderr());
    }

    /** alice's view of a repository record once {@code done} holds (records follow the registry's events). */
    private static JsonNode awaitRecord(String name, java.util.function.Predicate<JsonNode> done) {
        return MeshStack.await(EVENTS, () -> {
            MeshStack.Answer answer = mesh.call("GET", "/api/v1/repositories/" + name, ALICE, null);
            return answer.status() == 200 && done.test(answer.body()) ? answer.body() : null;
        }, () -> name + ": " + mesh.call("GET", "/api/v1/repositories/" + name, ALICE, null) + mesh.logs());
    }

    private static List<String> searchNames(String term, String credentials) {
        MeshStack.Answer answer = mesh.call("GET", "/v1/search?q=" + MeshStack.query(term) + "&n=100", credentials, null);
        assertEquals(200, answer.status(), answer.toString());
        return StreamSupport.stream(answer.body().path("results").spliterator(), false)
                .map(r -> r.path("name").asText()).toList();
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
