package dev.registrymesh.e2e.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.DistributionRegistry;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our tokens work for more than our own registry: the packaged auth-service issues tokens that CNCF
 * Distribution (configured with {@code auth: token:} and our certificate bundle) and our registry-service
 * (verifying with the JWKS) both accept for skopeo pushes and pulls with {@code --creds}; anonymous pulls of
 * public repositories work, anonymous pushes and pushes into another user's namespace are refused. Accounts and
 * decisions come from the packaged index-service, as in production.
 */
class TokenAuthInteropTest {
    static final String ISSUER = "registry-mesh-auth";
    static final String DISTRIBUTION_SERVICE = "distribution-e2e";
    static final String INTERNAL_TOKEN = "e2e-internal-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ServiceProcess index;
    private static ServiceProcess auth;
    private static ServiceProcess registry;
    private static DistributionRegistry distribution;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Skopeo.available(), "skopeo is not installed");
        Assumptions.assumeTrue(DistributionRegistry.available(), "docker-registry is not installed");
        index = ServiceProcess.builder("index-service")
                .env("MESH_ADMIN_PASSWORD", "admin-secret")
                .env("MESH_INTERNAL_TOKEN", INTERNAL_TOKEN)
                .start();
        for (String user : new String[] {"alice", "bob"}) {
            assertEquals(201, indexApi("POST", "/api/v1/users", "{\"name\":\"" + user + "\",\"password\":\"" + user + "-secret\"}"),
                    "create " + user);
        }
        // Distribution sends no events to the index, so the public repository's record is made through the API.
        assertEquals(201, indexApi("POST", "/api/v1/repositories", "{\"name\":\"library/public\",\"visibility\":\"public\"}"),
                "create library/public");
        auth = ServiceProcess.builder("auth-service")
                .env("MESH_INDEX_URL", index.url())
                .env("MESH_INTERNAL_TOKEN", INTERNAL_TOKEN)
                .env("MESH_AUTH_ISSUER", ISSUER)
                .start();
        Path bundle = work.resolve("token-certs.pem");
        HttpResponse<String> pem = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(auth.url() + "/.well-known/certs.pem")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, pem.statusCode());
        Files.writeString(bundle, pem.body());
        distribution = DistributionRegistry.builder()
                .tokenAuth(auth.url() + "/token", DISTRIBUTION_SERVICE, ISSUER, bundle)
                .start();
        registry = ServiceProcess.builder("registry-service")
                .env("MESH_AUTH_ENABLED", "true")
                .env("MESH_AUTH_URL", auth.url())
                .env("MESH_AUTH_ISSUER", ISSUER)
                .env("MESH_INDEX_URL", index.url())
                .env("MESH_INTERNAL_TOKEN", INTERNAL_TOKEN)
                .start();
        // admin seeds the public repository on both registries.
        TestImages.Image seed = TestImages.writeImage(work.resolve("public"), 11, 1, 50_000, "v1");
        for (String hostPort : new String[] {distribution.hostPort(), registry.hostPort()}) {
            Skopeo.copy(seed.ociRef(), "docker://" + hostPort + "/library/public:v1", "--dest-creds", "admin:admin-secret").orFail();
        }
    }

    @AfterAll
    static void stop() {
        Closing.all(registry, distribution, auth, index);
    }

    /** A call to index-service's API as admin; answers the status. */
    private static int indexApi(String method, String path, String json) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString("admin:admin-secret".getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(index.url() + path))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static Stream<Arguments> registries() {
        return Stream.of(Arguments.of("CNCF Distribution"), Arguments.of("registry-service"));
    }

    private static String hostPort(String which) {
        return which.equals("CNCF Distribution") ? distribution.hostPort() : registry.hostPort();
    }

    private static String logs(String which) {
        String reg = which.equals("CNCF Distribution") ? read(distribution.logFile()) : registry.log();
        return "\n--- registry log ---\n" + tail(reg) + "\n--- auth-service log ---\n" + tail(auth.log())
                + "\n--- index-service log ---\n" + tail(index.log());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void pushAndPullWithCredentials(String which) throws IOException {
        String ref = "docker://" + hostPort(which) + "/alice/app:v1";
        TestImages.Image image = TestImages.writeImage(work.resolve("alice-" + which.hashCode()), 42, 3, 200_000, "v1");
        Skopeo.Result push = Skopeo.copy(image.ociRef(), ref, "--dest-creds", "alice:alice-secret");
        assertTrue(push.ok(), push.stderr() + logs(which));
        JsonNode inspected = JSON.readTree(Skopeo.inspect(ref, "--creds", "alice:alice-secret").orFail().stdout());
        assertEquals(image.manifest().digest(), inspected.get("Digest").asText());
        Path pulled = work.resolve("pulled-" + which.hashCode());
        Skopeo.copy(ref, "oci:" + pulled + ":v1", "--src-creds", "alice:alice-secret").orFail();
        for (TestImages.Blob blob : image.blobs()) {
            Path copy = pulled.resolve("blobs").resolve(blob.digest().replace(':', '/'));
            assertTrue(Files.exists(copy), "pulled " + blob.digest());
            assertEquals(-1L, Files.mismatch(blob.file(), copy), "bit-identical " + blob.digest());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void anonymousPullOfPublicRepositoryWorks(String which) {
        Path pulled = work.resolve("anon-" + which.hashCode());
        Skopeo.Result pull = Skopeo.copy("docker://" + hostPort(which) + "/library/public:v1", "oci:" + pulled + ":v1");
        assertTrue(pull.ok(), pull.stderr() + logs(which));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void anonymousPushIsRefused(String which) {
        TestImages.Image image = TestImages.writeImage(work.resolve("anon-push-" + which.hashCode()), 5, 1, 10_000, "v1");
        Skopeo.Result push = Skopeo.copy(image.ociRef(), "docker://" + hostPort(which) + "/library/public:v2");
        assertFalse(push.ok(), "anonymous push must fail");
        assertTrue(push.stderr().toLowerCase(Locale.ROOT).contains("unauthorized")
                || push.stderr().toLowerCase(Locale.ROOT).contains("authentication required"), push.stderr());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void userCannotPushIntoAnotherUsersNamespace(String which) {
        TestImages.Image image = TestImages.writeImage(work.resolve("bob-" + which.hashCode()), 6, 1, 10_000, "v1");
        Skopeo.Result push = Skopeo.copy(image.ociRef(), "docker://" + hostPort(which) + "/alice/stolen:v1",
                "--dest-creds", "bob:bob-secret");
        assertFalse(push.ok(), "bob must not push into alice/");
        Skopeo.Result wrongPassword = Skopeo.copy(image.ociRef(), "docker://" + hostPort(which) + "/bob/app:v1",
                "--dest-creds", "bob:not-the-password");
        assertFalse(wrongPassword.ok(), "bad credentials must fail");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
