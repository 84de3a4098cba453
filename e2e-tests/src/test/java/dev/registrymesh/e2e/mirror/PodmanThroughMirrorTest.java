package dev.registrymesh.e2e.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.DistributionRegistry;
import dev.registrymesh.testkit.Podman;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestImages;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * podman with the mirror in registries.conf, as a podman or CRI-O host is set up: Docker Hub images through a
 * {@code [[registry.mirror]]} at the mirror's root (its default upstream), another registry's images through the
 * mirror's path prefix ({@code <mirror>/ghcr.io}). Both upstream aliases lead to one local CNCF Distribution
 * standing in for the real registries. The mirror is public (anonymous pulls allowed) and podman sends no token.
 */
class PodmanThroughMirrorTest {
    /** Leads nowhere: no token is ever asked for or checked here. */
    private static final String NO_AUTH_SERVICE = "http://127.0.0.1:1";

    @TempDir
    static Path work;
    private static DistributionRegistry upstream;
    private static ServiceProcess mirror;
    private static Podman podman;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Podman.available(), "needs root and Debian's podman (./mesh test installs it as root)");
        Assumptions.assumeTrue(Skopeo.available() && DistributionRegistry.available(), "needs skopeo and docker-registry");
        upstream = DistributionRegistry.builder().start();
        mirror = ServiceProcess.builder("mirror-service")
                .env("MIRROR_UPSTREAMS", "docker.io=" + upstream.url() + ",ghcr.io=" + upstream.url())
                .env("MIRROR_DEFAULT_UPSTREAM", "docker.io")
                .env("MESH_AUTH_ENABLED", "true")
                .env("MIRROR_ALLOW_ANONYMOUS", "true")
                .env("MESH_AUTH_URL", NO_AUTH_SERVICE)
                .jvmArg("-Xmx128m")
                .start();
        podman = Podman.create().registries("""
                [[registry]]
                prefix = "docker.io"
                location = "docker.io"
                [[registry.mirror]]
                location = "%1$s"
                insecure = true

                [[registry]]
                prefix = "ghcr.io"
                location = "ghcr.io"
                [[registry.mirror]]
                location = "%1$s/ghcr.io"
                insecure = true
                """.formatted(mirror.hostPort()));
    }

    @AfterAll
    static void stop() {
        Closing.all(podman, mirror, upstream);
    }

    /**
     * The real registries are out of reach from here (and would not hold these images): a pull that works came
     * through the mirror, which the per-upstream byte count confirms.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // image as the user names it, upstream alias, repository in the upstream, tag, seed
            "docker.io/library/busybox:latest, docker.io, library/busybox, latest, 51",
            "ghcr.io/acme/tool:1.2,            ghcr.io,   acme/tool,       1.2,    52",
    })
    void pullGoesThroughTheMirror(String ref, String alias, String repository, String tag, long seed) {
        TestImages.Image image = TestImages.writeImage(work.resolve("image-" + seed), seed, 2, 50_000, tag);
        Skopeo.copy(image.ociRef(), "docker://" + upstream.hostPort() + "/" + repository + ":" + tag).orFail();
        double servedBefore = bytesServedFor(alias);

        Skopeo.Result pull = podman.run("pull", podman.signaturePolicy(), ref);
        assertTrue(pull.ok(), "podman pull " + ref + ":\n" + pull.stderr() + "\nmirror log:\n" + mirror.log());

        Skopeo.Result inspect = podman.run("image", "inspect", "--format", "{{.Digest}} {{.Id}}", ref);
        assertTrue(inspect.ok(), inspect.stderr());
        String config = image.blobs().stream().filter(b -> b.mediaType().contains("config")).findFirst().orElseThrow().digest();
        assertEquals(image.manifest().digest() + " " + config.substring("sha256:".length()), inspect.stdout().trim());
        assertTrue(bytesServedFor(alias) > servedBefore, "the mirror served nothing for upstream " + alias + ":\n" + mirror.metrics());
    }

    private static double bytesServedFor(String upstreamAlias) {
        return mirror.metricSum("mirror_bytes_served_total{", "upstream=\"" + upstreamAlias + "\"");
    }
}
