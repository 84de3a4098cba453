package dev.registrymesh.e2e.mirror;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.DistributionRegistry;
import dev.registrymesh.testkit.HostileRequests;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One packaged mirror node (embedded index, no Redis) in front of CNCF Distribution, pulled with skopeo. */
class MirrorOverDistributionTest {
    @TempDir
    static Path work;
    private static DistributionRegistry upstream;
    private static ServiceProcess mirror;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Skopeo.available(), "skopeo is not installed");
        Assumptions.assumeTrue(DistributionRegistry.available(), "docker-registry is not installed");
        upstream = DistributionRegistry.builder().start();
        mirror = ServiceProcess.builder("mirror-service")
                .env("MIRROR_UPSTREAMS", "distribution.test=" + upstream.url())
                .env("MIRROR_DEFAULT_UPSTREAM", "distribution.test")
                .env("MESH_AUTH_ENABLED", "false")
                .jvmArg("-Xmx128m")
                .start();
    }

    @AfterAll
    static void stop() {
        Closing.all(mirror, upstream);
    }

    @Test
    void multiArchIndexPullsBitIdenticalThroughEachRouting() throws IOException {
        TestImages.Image index = TestImages.writeIndex(work.resolve("src"), 5, List.of("linux/amd64", "linux/arm64"), 2, 200_000, "multi");
        Skopeo.copy(index.ociRef(), "docker://" + upstream.hostPort() + "/tools/multi:multi", "--all").orFail();

        // Docker registry-mirrors style, then the path prefix: the same bytes either way.
        for (String name : List.of("tools/multi", "distribution.test/tools/multi")) {
            String raw = Skopeo.inspect("docker://" + mirror.hostPort() + "/" + name + ":multi", "--raw").orFail().stdout();
            assertArrayEquals(index.manifest().bytes(), raw.getBytes(StandardCharsets.UTF_8));
            Path pulled = work.resolve("pulled-" + name.replace('/', '_'));
            Skopeo.copy("docker://" + mirror.hostPort() + "/" + name + ":multi", "oci:" + pulled + ":multi", "--all").orFail();
            for (TestImages.Blob blob : index.blobs()) {
                Path file = pulled.resolve("blobs").resolve(blob.digest().replace(':', '/'));
                assertTrue(Files.exists(file), blob.digest());
                assertArrayEquals(blob.bytes(), Files.readAllBytes(file), blob.digest());
            }
        }
    }

    /** As packaged (MirrorMain), request targets java.net.URI refuses, decoder failures and unframeable transfer codings get the spec's body. */
    @Test
    void badRequestTargetsGetTheSpecsBody() {
        for (HostileRequests.Case c : HostileRequests.badTargets("tools/multi")) {
            HostileRequests.check(mirror.port(), c);
        }
        for (HostileRequests.Case c : HostileRequests.decoderFailures("/v2/tools/multi/manifests/multi")) {
            HostileRequests.check(mirror.port(), c);
        }
        for (HostileRequests.Case c : HostileRequests.transferCodings("/v2/tools/multi/manifests/multi")) {
            HostileRequests.check(mirror.port(), c);
        }
    }
}
