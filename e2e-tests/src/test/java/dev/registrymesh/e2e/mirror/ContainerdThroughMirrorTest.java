package dev.registrymesh.e2e.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.Containerd;
import dev.registrymesh.testkit.DistributionRegistry;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestHttp;
import dev.registrymesh.testkit.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * containerd with the mirror in a {@code hosts.toml}, as a Kubernetes node is set up: containerd asks the mirror
 * with {@code ?ns=<registry of the image>}, and the mirror picks its upstream by that. A registry the mirror does
 * not serve gets a fast 404, and containerd goes on to its next host.
 */
class ContainerdThroughMirrorTest {
    /** Leads nowhere: a pull that works did not come from there. */
    private static final String UNREACHABLE = "http://127.0.0.1:1";

    @TempDir
    static Path work;
    private static DistributionRegistry upstream;
    private static ServiceProcess mirror;
    private static Containerd containerd;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Containerd.available(), "needs root and Debian's containerd (./mesh test installs it as root)");
        Assumptions.assumeTrue(Skopeo.available() && DistributionRegistry.available(), "needs skopeo and docker-registry");
        upstream = DistributionRegistry.builder().start();
        // Two aliases for the one Distribution; the default upstream leads nowhere, so only ?ns= reaches the images.
        mirror = ServiceProcess.builder("mirror-service")
                .env("MIRROR_UPSTREAMS", "docker.io=" + upstream.url() + ",registry.test:5000=" + upstream.url()
                        + ",nowhere.test=" + UNREACHABLE)
                .env("MIRROR_DEFAULT_UPSTREAM", "nowhere.test")
                .env("MESH_AUTH_ENABLED", "false")
                .jvmArg("-Xmx128m")
                .start();
        containerd = Containerd.start();
    }

    @AfterAll
    static void stop() {
        Closing.all(containerd, mirror, upstream);
    }

    /** The origin in hosts.toml is unreachable: every byte containerd stores came through the mirror. */
    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
            // registry the image names, repository, seed, multi-arch; containerd sends ns=registry.test%3A5000
            "docker.io,          library/hello, 31, false",
            "registry.test:5000, team/app,      32, true",
    })
    void imageComesThroughTheMirrorChosenByNs(String registry, String repository, long seed, boolean multiArch) throws IOException {
        Path layout = work.resolve("image-" + seed);
        TestImages.Image image = multiArch
                ? TestImages.writeIndex(layout, seed, List.of("linux/amd64", "linux/arm64"), 2, 50_000, "v1")
                : TestImages.writeImage(layout, seed, 2, 50_000, "v1");
        Skopeo.copy(image.ociRef(), "docker://" + upstream.hostPort() + "/" + repository + ":v1", "--all").orFail();
        Path hosts = hostsDir("mirror-" + seed, registry, UNREACHABLE, mirror.url());

        String ref = registry + "/" + repository + ":v1";
        Skopeo.Result fetch = containerd.ctr("content", "fetch", "--all-platforms", "--hosts-dir", hosts.toString(), ref);
        assertTrue(fetch.ok(), fetch.stderr() + "\nmirror log:\n" + mirror.log());

        assertHasContent(image);
        assertTrue(bytesServedFor(registry) > 0, "the mirror served nothing for upstream " + registry + ":\n" + mirror.metrics());
    }

    @Test
    void unknownNsFallsBackToTheNextHost() throws IOException {
        TestImages.Image image = TestImages.writeImage(work.resolve("image-other"), 33, 2, 50_000, "v1");
        Skopeo.copy(image.ociRef(), "docker://" + upstream.hostPort() + "/team/other:v1").orFail();
        // The mirror first, then the real registry as the origin, over plain HTTP.
        Path hosts = hostsDir("fallback", "other.example:5000", upstream.url(), mirror.url());
        double notFoundBefore = manifestNotFounds();

        Skopeo.Result fetch = containerd.ctr("content", "fetch", "--hosts-dir", hosts.toString(),
                "other.example:5000/team/other:v1");
        assertTrue(fetch.ok(), fetch.stderr() + "\nmirror log:\n" + mirror.log());

        assertHasContent(image);
        assertTrue(manifestNotFounds() > notFoundBefore, "containerd did not ask the mirror first:\n" + mirror.metrics());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD"})
    void unknownNsIsAFastNameUnknown(String method) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(mirror.url() + "/v2/x/manifests/latest?ns=unknown.example"))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build();
        long start = System.nanoTime();
        HttpResponse<String> response = TestHttp.send(request);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(404, response.statusCode(), response.body());
        if (method.equals("GET")) {
            assertTrue(response.body().contains("\"NAME_UNKNOWN\""), response.body());
        }
        // No upstream is asked, so containerd loses next to nothing before its next host.
        assertTrue(millis < 1000, method + " took " + millis + " ms");
    }

    /** Every blob of the image is in containerd's content store (which checks digests as it writes). */
    private static void assertHasContent(TestImages.Image image) {
        Skopeo.Result list = containerd.ctr("content", "ls", "-q");
        assertTrue(list.ok(), list.stderr());
        Set<String> stored = Set.copyOf(List.of(list.stdout().split("\\s+")));
        List<String> missing = new ArrayList<>();
        for (TestImages.Blob blob : image.blobs()) {
            if (!stored.contains(blob.digest())) {
                missing.add(blob.digest());
            }
        }
        assertTrue(missing.isEmpty(), "containerd lacks " + missing + "; it has " + stored);
    }

    /** {@code <dir>/<registry>/hosts.toml}: {@code server} is the origin, the mirror the host tried first. */
    private static Path hostsDir(String name, String registry, String server, String mirrorUrl) throws IOException {
        Path root = work.resolve("hosts-" + name);
        Path file = root.resolve(registry).resolve("hosts.toml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                server = "%s"

                [host."%s"]
                  capabilities = ["pull", "resolve"]
                """.formatted(server, mirrorUrl));
        return root;
    }

    private static double bytesServedFor(String upstreamAlias) {
        return mirror.metricSum("mirror_bytes_served_total{", "upstream=\"" + upstreamAlias + "\"");
    }

    /** Manifest requests the mirror answered 404 (an unknown ns is one). */
    private static double manifestNotFounds() {
        return mirror.metricSum("http_server_requests_seconds_count{", "status=\"404\"", "uri=\"/v2/{name}/manifests/{reference}\"");
    }

}
