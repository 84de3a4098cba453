package dev.registrymesh.e2e.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A private mirror in front of our own registry with token auth on. Upstream side: the mirror follows the
 * registry's challenge to auth-service with its configured account and pulls alice's private repository.
 * Client side: the mirror demands auth-service tokens of its own clients (MESH_AUTH_ENABLED), so any signed-in
 * user pulls through it, and an anonymous client or a wrong password is refused.
 */
class PrivateMirrorTest {
    private static final String ALICE = "alice:alice-mirror-password";
    private static final String CAROL = "carol:carol-mirror-password";
    /** The registry as the mirror knows it: an upstream alias. */
    private static final String ALIAS = "mesh.test";

    @TempDir
    static Path work;
    private static MeshStack mesh;
    private static ServiceProcess mirror;
    private static TestImages.Image image;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Skopeo.available(), "skopeo is not installed");
        mesh = MeshStack.start();
        for (String credentials : List.of(ALICE, CAROL)) {
            String[] userAndPassword = credentials.split(":", 2);
            MeshStack.Answer created = mesh.call("POST", "/api/v1/users", "admin:" + MeshStack.ADMIN_PASSWORD,
                    Map.of("name", userAndPassword[0], "password", userAndPassword[1]));
            assertEquals(201, created.status(), "create " + userAndPassword[0] + ": " + created);
        }
        image = TestImages.writeImage(work.resolve("src"), 41, 3, 150_000, "v1");
        Skopeo.copy(image.ociRef(), mesh.ref("alice/app:v1"), "--dest-creds", ALICE).orFail();

        mirror = ServiceProcess.builder("mirror-service")
                .env("MIRROR_UPSTREAMS", ALIAS + "=" + mesh.registry.url())
                .env("MIRROR_DEFAULT_UPSTREAM", ALIAS)
                .env("MIRROR_UPSTREAM_MESH_TEST_USERNAME", "alice")
                .env("MIRROR_UPSTREAM_MESH_TEST_PASSWORD", ALICE.split(":", 2)[1])
                .env("MESH_AUTH_ENABLED", "true")
                .env("MESH_AUTH_URL", mesh.auth.url())
                .env("MESH_INTERNAL_TOKEN", MeshStack.INTERNAL_TOKEN)
                .jvmArg("-Xmx128m")
                .start();
    }

    @AfterAll
    static void stop() {
        Closing.all(mirror, mesh);
    }

    /** By the default upstream and by the path prefix naming the upstream. */
    @ParameterizedTest
    @ValueSource(strings = {"alice/app:v1", ALIAS + "/alice/app:v1"})
    void aSignedInUserPullsBitIdenticalContent(String repositoryAndTag) throws IOException {
        Path pulled = work.resolve("pulled-" + repositoryAndTag.hashCode());
        Skopeo.Result result = Skopeo.copy(mirrorRef(repositoryAndTag), "oci:" + pulled + ":v1", "--src-creds", CAROL);
        assertTrue(result.ok(), result.stderr() + logs());
        for (TestImages.Blob blob : image.blobs()) {
            Path file = pulled.resolve("blobs").resolve(blob.digest().replace(':', '/'));
            assertTrue(Files.exists(file), blob.digest());
            assertArrayEquals(blob.bytes(), Files.readAllBytes(file), blob.digest());
        }
    }

    @Test
    void anonymousClientsAndWrongPasswordsAreRefused() {
        Skopeo.Result anonymous = Skopeo.inspect(mirrorRef("alice/app:v1"));
        assertFalse(anonymous.ok(), "an anonymous pull through a private mirror");
        assertRefusedAsUnauthorized(anonymous);

        Skopeo.Result wrong = Skopeo.inspect(mirrorRef("alice/app:v1"), "--creds", "carol:not-the-password");
        assertFalse(wrong.ok(), "a wrong password");
        assertRefusedAsUnauthorized(wrong);
    }

    private static void assertRefusedAsUnauthorized(Skopeo.Result result) {
        String stderr = result.stderr().toLowerCase(Locale.ROOT);
        assertTrue(stderr.contains("unauthorized") || stderr.contains("authentication required")
                || stderr.contains("invalid username/password") || stderr.contains("insufficient"), result.stderr());
    }

    private static String mirrorRef(String repositoryAndTag) {
        return "docker://" + mirror.hostPort() + "/" + repositoryAndTag;
    }

    private static String logs() {
        String log = mirror.log();
        return mesh.logs() + "\n--- mirror-service ---\n" + (log.length() > 3000 ? log.substring(log.length() - 3000) : log);
    }
}
