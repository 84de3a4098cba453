package dev.registrymesh.e2e.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.Podman;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * podman against registry-service with token auth on, through the real index and auth services: {@code podman
 * login}, {@code push} of an image it took from an OCI layout, and {@code pull} back, the digests compared along
 * the way. podman runs as root with storage and configuration of its own ({@link Podman}).
 */
class PodmanClientTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "alice-podman-password";

    private static MeshStack mesh;
    private static Podman podman;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Podman.available(), "needs root and Debian's podman (./mesh test installs it as root)");
        Assumptions.assumeTrue(Skopeo.available(), "skopeo is not installed");
        mesh = MeshStack.start();
        MeshStack.Answer created = mesh.call("POST", "/api/v1/users", "admin:" + MeshStack.ADMIN_PASSWORD,
                Map.of("name", USER, "password", PASSWORD));
        assertEquals(201, created.status(), "create " + USER + ": " + created);
        podman = Podman.create();
    }

    @AfterAll
    static void stop() {
        Closing.all(podman, mesh);
    }

    @Test
    void loginPushAndPullKeepTheDigests() throws IOException {
        TestImages.Image image = TestImages.writeImage(work.resolve("layout"), 41, 2, 60_000, "v1");
        String ref = mesh.registry.hostPort() + "/alice/podapp:v1";
        String imageId = podman("pull", "-q", podman.signaturePolicy(), image.ociRef()).stdout().trim();
        podman("tag", imageId, ref);

        podman("login", "--tls-verify=false", "-u", USER, "-p", PASSWORD, mesh.registry.hostPort());
        Path digestFile = work.resolve("pushed.digest");
        podman("push", "--tls-verify=false", podman.signaturePolicy(), "--digestfile", digestFile.toString(), ref);
        String pushed = Files.readString(digestFile).trim();

        // What the registry holds is what podman says it pushed.
        Skopeo.Result raw = Skopeo.inspect("docker://" + ref, "--raw", "--creds", USER + ":" + PASSWORD).orFail();
        assertEquals(pushed, sha256(raw.stdout()), "manifest digest in the registry");

        podman("rmi", ref, imageId);
        podman("pull", "--tls-verify=false", podman.signaturePolicy(), ref);
        assertEquals(pushed, podman("image", "inspect", "--format", "{{.Digest}}", ref).stdout().trim(), "pulled digest");
        // The config (the image ID) made the whole round trip unchanged: podman recompresses layers, not the config.
        String configDigest = image.blobs().stream().filter(b -> b.mediaType().contains("config")).findFirst().orElseThrow().digest();
        assertEquals(configDigest, "sha256:" + podman("image", "inspect", "--format", "{{.Id}}", ref).stdout().trim());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "wrong password,  alice, not-the-password",
            "unknown user,    mallory, whatever-password",
    })
    void loginWithBadCredentialsIsRefused(String label, String user, String password) {
        Skopeo.Result login = podman.run("login", "--tls-verify=false", "-u", user, "-p", password, mesh.registry.hostPort());
        assertFalse(login.ok(), label + " logged in");
        String said = login.stderr().toLowerCase(Locale.ROOT);
        assertTrue(List.of("unauthorized", "invalid username/password", "authentication required").stream().anyMatch(said::contains),
                label + ": " + login.stderr());
    }

    private static Skopeo.Result podman(String... args) {
        Skopeo.Result result = podman.run(args);
        assertTrue(result.ok(), "podman " + String.join(" ", args) + ":\n" + result.stderr() + mesh.logs());
        return result;
    }

    private static String sha256(String text) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
