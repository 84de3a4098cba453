package dev.registrymesh.e2e.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.DistributionRegistry;
import dev.registrymesh.testkit.DockerEngine;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestImages;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker engine with the mirror as its daemon-wide {@code registry-mirrors}, as a user's machine is set up:
 * {@code docker pull hello} asks the mirror for {@code library/hello}, and the mirror serves it from its default
 * upstream (here a local CNCF Distribution standing in for Docker Hub). Were the mirror to fail, Docker would
 * fall back to Docker Hub, which this machine cannot reach, so a successful pull proves the mirror served it.
 */
class DockerThroughMirrorTest {
    @TempDir
    static Path work;
    private static DistributionRegistry upstream;
    private static ServiceProcess mirror;
    private static DockerEngine docker;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(DockerEngine.available(), "needs root and Debian's docker.io (./mesh test installs it as root)");
        Assumptions.assumeTrue(Skopeo.available() && DistributionRegistry.available(), "needs skopeo and docker-registry");
        upstream = DistributionRegistry.builder().start();
        mirror = ServiceProcess.builder("mirror-service")
                .env("MIRROR_UPSTREAMS", "docker.io=" + upstream.url())
                .env("MIRROR_DEFAULT_UPSTREAM", "docker.io")
                // A public mirror, as Docker daemons need it: tokens are checked when sent, but none is needed.
                .env("MESH_AUTH_ENABLED", "true")
                .env("MIRROR_ALLOW_ANONYMOUS", "true")
                .start();
        docker = DockerEngine.start(List.of(mirror.url()));
    }

    @AfterAll
    static void stop() {
        Closing.all(docker, mirror, upstream);
    }

    @Test
    void dockerPullOfAnOfficialImageGoesThroughTheMirror() {
        TestImages.Image image = TestImages.writeImage(work.resolve("hello"), 11, 2, 50_000, "latest");
        Skopeo.copy(image.ociRef(), "docker://" + upstream.hostPort() + "/library/hello:latest").orFail();

        Skopeo.Result pull = docker.docker("pull", "hello");
        assertTrue(pull.ok(), pull.stderr() + "\n" + mirror.log());
        Skopeo.Result digest = docker.docker("image", "inspect", "--format", "{{index .RepoDigests 0}}", "hello");
        assertTrue(digest.ok(), digest.stderr());
        assertEquals("hello@" + image.manifest().digest(), digest.stdout().trim());
    }
}
