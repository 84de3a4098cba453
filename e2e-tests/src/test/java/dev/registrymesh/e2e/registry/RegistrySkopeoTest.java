package dev.registrymesh.e2e.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real client against the packaged registry: skopeo pushes, inspects, lists, pulls and deletes. */
class RegistrySkopeoTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ServiceProcess registry;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Skopeo.available(), "skopeo is not installed (./mesh test installs it)");
        registry = ServiceProcess.builder("registry-service").env("MESH_AUTH_ENABLED", "false").start();
    }

    @AfterAll
    static void stop() {
        Closing.all(registry);
    }

    private static String docker(String repositoryAndTag) {
        return "docker://" + registry.hostPort() + "/" + repositoryAndTag;
    }

    @Test
    void multiLayerImageRoundTripsBitIdentical() throws IOException {
        TestImages.Image image = TestImages.writeImage(work.resolve("src-image"), 42, 4, 300_000, "v1");
        Skopeo.copy(image.ociRef(), docker("alice/app:v1")).orFail();

        JsonNode inspected = JSON.readTree(Skopeo.inspect(docker("alice/app:v1")).orFail().stdout());
        assertEquals(image.manifest().digest(), inspected.get("Digest").asText());
        assertEquals(4, inspected.get("Layers").size());

        Path pulled = work.resolve("pulled-image");
        Skopeo.copy(docker("alice/app:v1"), "oci:" + pulled + ":v1").orFail();
        assertSameBlobs(image, pulled);
    }

    @Test
    void multiArchIndexRoundTripsBitIdentical() throws IOException {
        TestImages.Image index = TestImages.writeIndex(work.resolve("src-index"), 7, List.of("linux/amd64", "linux/arm64"), 2, 100_000, "multi");
        Skopeo.copy(index.ociRef(), docker("team/tools/multi:multi"), "--all").orFail();

        String raw = Skopeo.inspect(docker("team/tools/multi:multi"), "--raw").orFail().stdout();
        assertArrayEquals(index.manifest().bytes(), raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        Path pulled = work.resolve("pulled-index");
        Skopeo.copy(docker("team/tools/multi:multi"), "oci:" + pulled + ":multi", "--all").orFail();
        assertSameBlobs(index, pulled);
    }

    @Test
    void listTagsAndDelete() throws IOException {
        TestImages.Image image = TestImages.writeImage(work.resolve("tags-image"), 3, 1, 10_000, "one");
        for (String tag : List.of("one", "two", "three")) {
            Skopeo.copy(image.ociRef(), docker("bob/tagged:" + tag)).orFail();
        }
        JsonNode tags = JSON.readTree(Skopeo.listTags(docker("bob/tagged")).orFail().stdout()).get("Tags");
        assertEquals(List.of("one", "three", "two"), JSON.convertValue(tags, List.class));

        Skopeo.delete(docker("bob/tagged@" + image.manifest().digest())).orFail();
        assertFalse(Skopeo.inspect(docker("bob/tagged:one")).ok(), "a deleted manifest takes its tags with it");
        JsonNode after = JSON.readTree(Skopeo.listTags(docker("bob/tagged")).orFail().stdout()).get("Tags");
        assertTrue(after.isEmpty() || after.isNull(), "no tags left: " + after);
    }

    /** Every blob of the source layout is in the pulled layout, byte for byte. */
    private static void assertSameBlobs(TestImages.Image source, Path pulledLayout) throws IOException {
        for (TestImages.Blob blob : source.blobs()) {
            Path copy = pulledLayout.resolve("blobs").resolve(blob.digest().replace(':', '/'));
            assertTrue(Files.exists(copy), "pulled layout lacks " + blob.digest());
            assertEquals(-1L, Files.mismatch(blob.file(), copy), "content differs for " + blob.digest());
        }
    }
}
