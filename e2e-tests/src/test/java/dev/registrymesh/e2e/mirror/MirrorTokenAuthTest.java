package dev.registrymesh.e2e.mirror;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.DistributionRegistry;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream demands Bearer tokens (CNCF Distribution with token auth): the mirror follows the challenge
 * to the token server with its configured credentials, caches the token, and pulls.
 */
class MirrorTokenAuthTest {
    @TempDir
    static Path work;
    private static TestTokenServer tokens;
    private static DistributionRegistry upstream;
    private static ServiceProcess mirror;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Skopeo.available(), "skopeo is not installed");
        Assumptions.assumeTrue(DistributionRegistry.available(), "docker-registry is not installed");
        tokens = new TestTokenServer(work, "puller", "s3cret-pass");
        upstream = DistributionRegistry.builder()
                .tokenAuth(tokens.realm(), TestTokenServer.SERVICE, TestTokenServer.ISSUER, tokens.rootBundle())
                .start();
        mirror = ServiceProcess.builder("mirror-service")
                .env("MIRROR_UPSTREAMS", "private.test=" + upstream.url())
                .env("MIRROR_DEFAULT_UPSTREAM", "private.test")
                .env("MESH_AUTH_ENABLED", "false")
                .env("MIRROR_UPSTREAM_PRIVATE_TEST_USERNAME", "puller")
                .env("MIRROR_UPSTREAM_PRIVATE_TEST_PASSWORD", "s3cret-pass")
                .jvmArg("-Xmx128m")
                .start();
    }

    @AfterAll
    static void stop() {
        Closing.all(mirror, upstream, tokens);
    }

    @Test
    void pullsThroughTheTokenDance() throws Exception {
        TestImages.Image image = TestImages.writeImage(work.resolve("src"), 31, 2, 100_000, "v1");
        Skopeo.copy(image.ociRef(), "docker://" + upstream.hostPort() + "/team/secret:v1", "--dest-creds", "puller:s3cret-pass").orFail();
        int before = tokens.tokensIssued.get();

        Path pulled = work.resolve("pulled");
        Skopeo.copy("docker://" + mirror.hostPort() + "/team/secret:v1", "oci:" + pulled + ":v1").orFail();
        for (TestImages.Blob blob : image.blobs()) {
            Path file = pulled.resolve("blobs").resolve(blob.digest().replace(':', '/'));
            assertTrue(Files.exists(file), blob.digest());
            assertArrayEquals(blob.bytes(), Files.readAllBytes(file), blob.digest());
        }
        // One token for the repository's pull scope, reused for the manifest and every blob.
        assertEquals(1, tokens.tokensIssued.get() - before);
    }
}
