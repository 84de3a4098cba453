package dev.registrymesh.e2e.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestHttp;
import dev.registrymesh.testkit.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tenant-isolation attacks of a hostile ordinary user, against the real services with real tokens: each test
 * is one class of attack, tried the way it was found, and must fail. Two ordinary users (alice and mallory, plus
 * others per test) and anonymous callers.
 */
class TenantIsolationTest {
    private static final String ADMIN = "admin:" + MeshStack.ADMIN_PASSWORD;
    private static final String ALICE = "alice:alice-isolation-password";
    private static final String MALLORY = "mallory:mallory-isolation-password";
    /** Long enough that a throttled client is still waiting when the test looks. */
    private static final String THROTTLE_DELAY = "20s";

    private static MeshStack mesh;
    private static ServiceProcess mirror;
    private static TestImages.Image image;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Skopeo.available(), "skopeo is not installed");
        mesh = MeshStack.start(Map.of("MESH_INDEX_THROTTLE_BASE_DELAY", THROTTLE_DELAY),
                Map.of("MESH_AUTH_THROTTLE_BASE_DELAY", THROTTLE_DELAY));
        createUser(ALICE);
        createUser(MALLORY);
        image = TestImages.writeImage(work.resolve("image"), 77, 1, 20_000, "v1");
        push("alice/app:v1", ALICE);
    }

    @AfterAll
    static void stop() {
        Closing.all(mirror, mesh);
    }

    // --- 1. Names whose first component looks like a registry host are names of this registry, nothing else ---

    /** alice owns alice/app; a host-like first component must not make that name hers anywhere else. */
    @ParameterizedTest
    @ValueSource(strings = {"bob.dev/alice/app", "localhost/alice/app", "docker.io/alice/app", "example.io/alice/app",
            "127.0.0.1/alice/app", "index.docker.io/alice/app"})
    void aHostLikeFirstComponentIsAnotherNamespace(String name) {
        assertEquals(List.of(), granted(ALICE, name, "pull,push"), "alice owns alice/app, not " + name);
        Skopeo.Result pushed = Skopeo.copy(image.ociRef(), mesh.ref(name + ":v1"), "--dest-creds", ALICE);
        assertFalse(pushed.ok(), "a push to " + name);
        // The registry holds nothing under that name (an admin sees everything there is).
        assertFalse(Skopeo.inspect(mesh.ref(name + ":v1"), "--creds", ADMIN).ok());
    }

    @Test
    void aScopeWithAHostAndPortIsNoRepositoryName() {
        assertEquals(400, tokenStatus(ALICE, "repository:localhost:5000/alice/app:pull"));
        assertEquals(400, tokenStatus(ALICE, "repository:[::1]:5000/alice/app:pull"));
    }

    /** A dotted namespace belongs to whoever holds that name; an org named like its second component gets nothing. */
    @Test
    void aDottedNamespaceBelongsToItsOwner() {
        String bob = "bob.dev:bob-dev-isolation-password";
        createUser(bob);
        push("bob.dev/web/site:v1", bob);
        assertEquals(List.of("pull", "push"), granted(bob, "bob.dev/web/site", "pull,push"), "the owner of bob.dev");
        assertTrue(Skopeo.inspect(mesh.ref("bob.dev/web/site:v1"), "--creds", bob).ok(), "bob reads his own repository");

        assertEquals(201, mesh.call("POST", "/api/v1/orgs", MALLORY, Map.of("name", "web")).status());
        assertEquals(List.of(), granted(MALLORY, "bob.dev/web/site", "pull,push"), "the owner of org web");
        assertFalse(Skopeo.inspect(mesh.ref("bob.dev/web/site:v1"), "--creds", MALLORY).ok());
        assertFalse(Skopeo.inspect(mesh.ref("bob.dev/web/site:v1")).ok(), "anonymous");
    }

    /** Nobody, admins included, puts content under a namespace nobody owns (a later account would get it). */
    @Test
    void noContentGoesIntoANamespaceThatDoesNotExist() {
        assertEquals(List.of("pull"), granted(ADMIN, "nobody-owns-this/app", "pull,push,delete"));
        assertFalse(Skopeo.copy(image.ociRef(), mesh.ref("nobody-owns-this/app:v1"), "--dest-creds", ADMIN).ok());
    }

    @Test
    void aPersonalAccessTokenLimitedToOneRepositoryGetsNoOther() {
        String pat = createToken(ALICE, Map.of("name", "one-repo", "actions", List.of("pull", "push"),
                "repositories", List.of("alice/app")));
        String viaPat = "alice:" + pat;
        assertEquals(List.of("pull", "push"), granted(viaPat, "alice/app", "pull,push"));
        for (String name : List.of("example.io/alice/app", "localhost/alice/app", "alice/other")) {
            assertEquals(List.of(), granted(viaPat, name, "pull,push"), name);
        }
    }

    // --- 2. A deleted owner's name hands over nothing ---

    @Test
    void aDeletedOrganizationsNameHandsOverNothing() {
        String carol = "carol:carol-isolation-password";
        createUser(carol);
        assertEquals(201, mesh.call("POST", "/api/v1/orgs", carol, Map.of("name", "acme")).status());
        push("acme/secret:v1", carol);
        assertTrue(Skopeo.inspect(mesh.ref("acme/secret:v1"), "--creds", carol).ok());

        assertEquals(204, mesh.call("DELETE", "/api/v1/orgs/acme", carol, null).status());
        assertEquals(409, mesh.call("POST", "/api/v1/orgs", MALLORY, Map.of("name", "acme")).status(),
                "the name is in quarantine while tokens of the old holder live");
        sleep(MeshStack.NAME_QUARANTINE.plusMillis(500));
        assertEquals(201, mesh.call("POST", "/api/v1/orgs", MALLORY, Map.of("name", "acme")).status());

        assertEquals(404, mesh.call("GET", "/api/v1/repositories/acme/secret", MALLORY, null).status());
        assertFalse(Skopeo.inspect(mesh.ref("acme/secret:v1"), "--creds", MALLORY).ok(), "the new owner of acme");
        assertFalse(Skopeo.inspect(mesh.ref("acme/secret:v1"), "--creds", ADMIN).ok(), "the content itself is gone");
    }

    @Test
    void aDeletedUsersNameHandsOverNothing() {
        String dave = "dave:dave-isolation-password";
        createUser(dave);
        push("dave/private:v1", dave);
        String refresh = refreshToken(dave);
        assertEquals(204, mesh.call("DELETE", "/api/v1/users/dave", ADMIN, null).status());
        sleep(MeshStack.NAME_QUARANTINE.plusMillis(500));

        String newDave = "dave:someone-else-entirely";
        createUser(newDave);
        assertEquals(404, mesh.call("GET", "/api/v1/repositories/dave/private", newDave, null).status());
        assertFalse(Skopeo.inspect(mesh.ref("dave/private:v1"), "--creds", newDave).ok(), "the new dave");
        assertFalse(Skopeo.inspect(mesh.ref("dave/private:v1"), "--creds", ADMIN).ok(), "the content itself is gone");
        assertEquals(401, refresh(refresh, "repository:dave/private:pull"), "the old dave's refresh token");
    }

    @Test
    void deletingARepositoryDeletesItsContent() {
        push("alice/short-lived:v1", ALICE);
        assertEquals(204, mesh.call("DELETE", "/api/v1/repositories/alice/short-lived", ALICE, null).status());
        assertFalse(Skopeo.inspect(mesh.ref("alice/short-lived:v1"), "--creds", ALICE).ok());
    }

    // --- 3. Refresh tokens end with the sign-in they came from ---

    @Test
    void aPasswordChangeEndsTheRefreshTokensItIssued() {
        String erin = "erin:erin-isolation-password";
        createUser(erin);
        String refresh = refreshToken(erin);
        assertEquals(200, refresh(refresh, "repository:erin/app:pull"));
        assertEquals(200, mesh.call("PATCH", "/api/v1/users/erin", erin, Map.of("password", "erin-new-password")).status());
        assertEquals(401, refresh(refresh, "repository:erin/app:pull"));
        assertEquals(401, refresh(refresh, null), "a refresh that asks for nothing is checked too");
    }

    @Test
    void signingOutEverywhereEndsEveryRefreshToken() {
        String frank = "frank:frank-isolation-password";
        createUser(frank);
        String byPassword = refreshToken(frank);
        String pat = createToken(frank, Map.of("name", "ci"));
        String byToken = refreshToken("frank:" + pat);
        assertEquals(204, mesh.call("DELETE", "/api/v1/users/frank/sessions", frank, null).status());
        assertEquals(401, refresh(byPassword, "repository:frank/app:pull"));
        assertEquals(401, refresh(byToken, "repository:frank/app:pull"));
        String fresh = refreshToken(frank);
        assertEquals(200, refresh(fresh, "repository:frank/app:pull"), "a new sign-in works");
        assertEquals(403, mesh.call("DELETE", "/api/v1/users/frank/sessions", MALLORY, null).status(), "only for oneself");
    }

    @Test
    void aRotatedRobotSecretEndsItsRefreshTokens() {
        MeshStack.Answer robot = mesh.call("POST", "/api/v1/namespaces/alice/robots", ALICE, Map.of("name", "ci", "role", "pull"));
        assertEquals(201, robot.status(), robot.toString());
        String robotCredentials = "alice+ci:" + robot.body().path("secret").asText();
        String refresh = refreshToken(robotCredentials);
        assertEquals(200, refresh(refresh, "repository:alice/app:pull"));
        assertEquals(200, mesh.call("POST", "/api/v1/namespaces/alice/robots/ci/secret", ALICE, null).status());
        assertEquals(401, refresh(refresh, "repository:alice/app:pull"));
    }

    // --- 4. A credential only makes credentials within its own bounds ---

    @Test
    void aPersonalAccessTokenCannotMakeABroaderOne() {
        String limited = createToken(ALICE, Map.of("name", "limited", "actions", List.of("pull", "push", "admin"),
                "repositories", List.of("alice/app"), "expiresInDays", 30));
        String viaPat = "alice:" + limited;
        MeshStack.Answer inherited = mesh.call("POST", "/api/v1/tokens", viaPat, Map.of("name", "child"));
        assertEquals(201, inherited.status(), inherited.toString());
        assertEquals("[\"alice/app\"]", inherited.body().path("repositories").toString(), "omitted bounds are inherited");
        assertFalse(inherited.body().path("expiresAt").isNull(), "and so is the expiry");
        String child = inherited.body().path("token").asText();
        assertEquals(List.of(), granted("alice:" + child, "alice/other", "pull"));

        for (Map<String, Object> broader : List.<Map<String, Object>>of(
                Map.of("name", "all-repos", "repositories", List.of("alice/*")),
                Map.of("name", "other-repo", "repositories", List.of("alice/other")),
                Map.of("name", "more-actions", "actions", List.of("pull", "delete")),
                Map.of("name", "longer", "expiresInDays", 365))) {
            MeshStack.Answer refused = mesh.call("POST", "/api/v1/tokens", viaPat, broader);
            assertEquals(403, refused.status(), broader + ": " + refused);
        }
        assertEquals(403, mesh.call("POST", "/api/v1/namespaces/alice/robots", viaPat, Map.of("name", "escape")).status(),
                "a robot holds the whole namespace and never expires");
        assertEquals(403, mesh.call("PATCH", "/api/v1/users/alice", viaPat, Map.of("password", "taken-over-now")).status(),
                "a password is a credential without bounds");
    }

    // --- 5. Tokens are for one service: the mirror decides by its own rule ---

    @Test
    void anAnonymousTokenDoesNotOpenAPrivateMirror() {
        startMirror();
        assertEquals(201, mesh.call("POST", "/api/v1/repositories", ALICE,
                Map.of("name", "alice/public", "visibility", "public")).status());
        push("alice/public:v1", ALICE);
        String service = mirror.hostPort();
        String anonymous = token(null, service, "repository:alice/public:pull");
        assertEquals(List.of("pull"), accessOf(anonymous, "alice/public"), "public in the registry");
        assertEquals(401, mirrorStatus("/v2/alice/public/manifests/v1", anonymous));
        assertEquals(401, mirrorStatus("/v2/alice/public/manifests/v1", null));
        String signedIn = token(MALLORY, service, "repository:alice/public:pull");
        assertEquals(200, mirrorStatus("/v2/alice/public/manifests/v1", signedIn), mirror.log());
    }

    // --- Weak spots: throttles, logs ---

    /** A guesser holds back his own addresses, never the owner's: both on /token and on the index API. */
    @Test
    void guessingIsThrottledPerAddressAndNeverLocksTheOwnerOut() {
        String grace = "grace:grace-isolation-password";
        createUser(grace);
        String indexUser = mesh.index.url() + "/api/v1/user";
        String token = mesh.auth.url() + "/token?service=isolation";
        for (String url : List.of(indexUser, token)) {
            List<Integer> guesses = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                guesses.add(curl("127.0.0.2", "grace:wrong-" + i, url));
            }
            assertEquals(List.of(401, 401, 401, 401, 401, 401, 429, 429), guesses, url);
            assertEquals(429, curl("127.0.0.2", grace, url), "the guesser's address waits, right password or not");
            assertEquals(200, curl("127.0.0.3", grace, url), "the owner, from an address that did not fail: " + url);
        }
    }

    @Test
    void callersCannotForgeLogLines() {
        String forged = "mallory\r\nFORGED-LOG-LINE login for admin succeeded";
        curl("127.0.0.4", forged + ":wrong", mesh.auth.url() + "/token?service=isolation");
        curl("127.0.0.4", forged + ":wrong", mesh.index.url() + "/api/v1/user");
        for (ServiceProcess service : List.of(mesh.auth, mesh.index)) {
            String log = service.log();
            assertTrue(log.contains("mallory\\r\\nFORGED-LOG-LINE"), service.module() + " logs the name escaped:\n" + log);
            assertFalse(log.lines().anyMatch(l -> l.startsWith("FORGED-LOG-LINE")), service.module() + " has a forged line");
        }
    }

    // --- helpers ---

    private static void createUser(String credentials) {
        String[] userAndPassword = credentials.split(":", 2);
        MeshStack.Answer created = mesh.call("POST", "/api/v1/users", ADMIN,
                Map.of("name", userAndPassword[0], "password", userAndPassword[1]));
        assertEquals(201, created.status(), "create " + userAndPassword[0] + ": " + created);
    }

    private static String createToken(String credentials, Map<String, Object> body) {
        MeshStack.Answer created = mesh.call("POST", "/api/v1/tokens", credentials, body);
        assertEquals(201, created.status(), created.toString());
        return created.body().path("token").asText();
    }

    private static void push(String repositoryAndTag, String credentials) {
        Skopeo.Result pushed = Skopeo.copy(image.ociRef(), mesh.ref(repositoryAndTag), "--dest-creds", credentials);
        assertTrue(pushed.ok(), repositoryAndTag + ": " + pushed.stderr() + mesh.logs());
    }

    /** The actions a token for the registry carries on {@code name} when {@code credentials} ask for {@code actions}. */
    private static List<String> granted(String credentials, String name, String actions) {
        return accessOf(token(credentials, mesh.registry.hostPort(), "repository:" + name + ":" + actions), name);
    }

    private static String token(String credentials, String service, String scope) {
        HttpResponse<String> response = get(mesh.auth.url() + "/token?service=" + MeshStack.query(service)
                + "&scope=" + MeshStack.query(scope), credentials);
        assertEquals(200, response.statusCode(), response.body());
        return TestHttp.json(response.body()).path("token").asText();
    }

    private static int tokenStatus(String credentials, String scope) {
        return get(mesh.auth.url() + "/token?service=isolation&scope=" + MeshStack.query(scope), credentials).statusCode();
    }

    private static List<String> accessOf(String jwt, String name) {
        JsonNode claims = TestHttp.json(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
        List<String> actions = new ArrayList<>();
        for (JsonNode entry : claims.path("access")) {
            if (entry.path("name").asText().equals(name)) {
                entry.path("actions").forEach(a -> actions.add(a.asText()));
            }
        }
        return actions;
    }

    /** docker login's way: the OAuth2 password grant with access_type=offline. */
    private static String refreshToken(String credentials) {
        String[] userAndPassword = credentials.split(":", 2);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("username", userAndPassword[0]);
        form.put("password", userAndPassword[1]);
        form.put("service", "isolation");
        form.put("client_id", "e2e");
        form.put("access_type", "offline");
        HttpResponse<String> response = postForm(form);
        assertEquals(200, response.statusCode(), response.body());
        String refresh = TestHttp.json(response.body()).path("refresh_token").asText("");
        assertFalse(refresh.isEmpty(), response.body());
        return refresh;
    }

    private static int refresh(String refreshToken, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("service", "isolation");
        form.put("client_id", "e2e");
        if (scope != null) {
            form.put("scope", scope);
        }
        return postForm(form).statusCode();
    }

    private static void startMirror() {
        synchronized (TenantIsolationTest.class) {
            if (mirror != null) {
                return;
            }
            mirror = ServiceProcess.builder("mirror-service")
                    .env("MIRROR_UPSTREAMS", "mesh.test=" + mesh.registry.url())
                    .env("MIRROR_DEFAULT_UPSTREAM", "mesh.test")
                    .env("MIRROR_UPSTREAM_MESH_TEST_USERNAME", "alice")
                    .env("MIRROR_UPSTREAM_MESH_TEST_PASSWORD", ALICE.split(":", 2)[1])
                    .env("MESH_AUTH_ENABLED", "true")
                    .env("MESH_AUTH_URL", mesh.auth.url())
                    .env("MESH_INTERNAL_TOKEN", MeshStack.INTERNAL_TOKEN)
                    .jvmArg("-Xmx128m")
                    .start();
        }
    }

    private static int mirrorStatus(String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(mirror.url() + path)).timeout(Duration.ofSeconds(20))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return TestHttp.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A GET with Basic credentials from a chosen loopback source address (127.0.0.x stand for different clients). */
    private static int curl(String sourceAddress, String credentials, String url) {
        try {
            Process p = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20",
                    "--interface", sourceAddress, "-H", "Authorization: " + TestHttp.basic(credentials), url)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            return Integer.parseInt(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(String url, String credentials) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (credentials != null) {
            request.header("Authorization", TestHttp.basic(credentials));
        }
        return TestHttp.send(request.build());
    }

    private static HttpResponse<String> postForm(Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + MeshStack.query(e.getValue()))
                .collect(Collectors.joining("&"));
        return TestHttp.send(HttpRequest.newBuilder(URI.create(mesh.auth.url() + "/token")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
