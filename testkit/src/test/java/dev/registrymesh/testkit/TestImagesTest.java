package dev.registrymesh.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TestImagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({
            // seed, layers, layerSize
            "1, 0, 0",
            "1, 1, 0",
            "7, 1, 1",
            "7, 3, 511",
            "7, 2, 512",
            "42, 2, 70000",
    })
    void sameSeedSameBytesAndDigestsMatchContent(long seed, int layers, int layerSize, @TempDir Path tmp) throws Exception {
        TestImages.Image a = TestImages.writeImage(tmp.resolve("a"), seed, layers, layerSize, "v1");
        TestImages.Image b = TestImages.writeImage(tmp.resolve("b"), seed, layers, layerSize, "v1");

        assertEquals(a.manifest().digest(), b.manifest().digest());
        assertEquals(layers + 2, a.blobs().size());
        for (int i = 0; i < a.blobs().size(); i++) {
            TestImages.Blob blob = a.blobs().get(i);
            assertEquals(blob.digest(), b.blobs().get(i).digest());
            assertEquals(blob.digest(), "sha256:" + sha256(Files.readAllBytes(blob.file())));
            assertEquals(blob.size(), Files.size(blob.file()));
            assertEquals(blob.file(), tmp.resolve("a/blobs/sha256").resolve(blob.digest().substring(7)));
        }
        assertValidLayout(a);
    }

    @Test
    void differentSeedsDiffer(@TempDir Path tmp) {
        TestImages.Image a = TestImages.writeImage(tmp.resolve("a"), 1, 1, 100, "t");
        TestImages.Image b = TestImages.writeImage(tmp.resolve("b"), 2, 1, 100, "t");
        assertNotEquals(a.manifest().digest(), b.manifest().digest());
        assertNotEquals(a.blobs().get(0).digest(), b.blobs().get(0).digest());
    }

    @Test
    void layersAreTarGzWithOneFileAndConfigHasTheirDiffIds(@TempDir Path tmp) throws Exception {
        TestImages.Image image = TestImages.writeImage(tmp, 5, 2, 1000, "t");
        JsonNode manifest = JSON.readTree(image.manifest().bytes());
        JsonNode config = JSON.readTree(tmp.resolve("blobs/sha256").resolve(
                manifest.path("config").path("digest").asText().substring(7)).toFile());
        assertEquals("amd64", config.path("architecture").asText());
        assertEquals("linux", config.path("os").asText());
        assertEquals("layers", config.path("rootfs").path("type").asText());
        assertEquals(2, config.path("history").size());
        for (int i = 0; i < 2; i++) {
            Path layer = tmp.resolve("blobs/sha256").resolve(manifest.path("layers").get(i).path("digest").asText().substring(7));
            byte[] tar;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(layer))) {
                tar = in.readAllBytes();
            }
            assertEquals("sha256:" + sha256(tar), config.path("rootfs").path("diff_ids").get(i).asText());
            // header, 1000 bytes padded to 1024, two zero blocks
            assertEquals(512 + 1024 + 1024, tar.length);
            assertEquals("ustar", new String(tar, 257, 5, java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(1000, Long.parseLong(new String(tar, 124, 11, java.nio.charset.StandardCharsets.US_ASCII), 8));
            long sum = 0;
            for (int k = 0; k < 512; k++) {
                sum += (k >= 148 && k < 156) ? ' ' : tar[k] & 0xff;
            }
            assertEquals(sum, Long.parseLong(new String(tar, 148, 6, java.nio.charset.StandardCharsets.US_ASCII), 8));
        }
    }

    @Test
    void indexHasOneImagePerPlatform(@TempDir Path tmp) throws Exception {
        List<String> platforms = List.of("linux/amd64", "linux/arm64/v8", "linux/arm/v7");
        TestImages.Image index = TestImages.writeIndex(tmp, 9, platforms, 2, 300, "multi");
        TestImages.Image again = TestImages.writeIndex(tmp.resolve("again"), 9, platforms, 2, 300, "multi");
        assertEquals(index.manifest().digest(), again.manifest().digest());

        JsonNode json = JSON.readTree(index.manifest().bytes());
        assertEquals("application/vnd.oci.image.index.v1+json", json.path("mediaType").asText());
        assertEquals(3, json.path("manifests").size());
        assertEquals("arm64", json.path("manifests").get(1).path("platform").path("architecture").asText());
        assertEquals("v8", json.path("manifests").get(1).path("platform").path("variant").asText());
        assertEquals(3, index.childManifests().size());
        assertEquals(3 * 3, index.plainBlobs().size());
        assertEquals(index.manifest(), index.blobs().get(index.blobs().size() - 1));
        assertValidLayout(index);
    }

    @Test
    void oneLayoutHoldsSeveralTags(@TempDir Path tmp) throws Exception {
        TestImages.writeImage(tmp, 1, 1, 10, "one");
        TestImages.writeImage(tmp, 2, 1, 10, "two");
        TestImages.Image replaced = TestImages.writeImage(tmp, 3, 1, 10, "one");
        JsonNode entries = JSON.readTree(tmp.resolve("index.json").toFile()).path("manifests");
        assertEquals(2, entries.size());
        assertEquals("two", entries.get(0).path("annotations").path(TestImages.REF_NAME_ANNOTATION).asText());
        assertEquals(replaced.manifest().digest(), entries.get(1).path("digest").asText());
    }

    @Test
    void randomStreamDoesNotDependOnReadSizes() throws IOException {
        byte[] whole;
        try (InputStream in = TestImages.randomStream(3, 10_007)) {
            whole = in.readAllBytes();
        }
        assertEquals(10_007, whole.length);
        ByteArrayOutputStream pieces = new ByteArrayOutputStream();
        try (InputStream in = TestImages.randomStream(3, 10_007)) {
            int[] sizes = {1, 3, 8, 13, 4096, 7};
            byte[] buffer = new byte[4096];
            for (int i = 0; ; i++) {
                int n = i % 5 == 4 ? in.read() : in.read(buffer, 0, sizes[i % sizes.length]);
                if (n < 0) {
                    break;
                }
                if (i % 5 == 4) {
                    pieces.write(n);
                } else {
                    pieces.write(buffer, 0, n);
                }
            }
        }
        assertArrayEquals(whole, pieces.toByteArray());
        try (InputStream in = TestImages.randomStream(3, 10_007)) {
            assertEquals(5, in.skip(5));
            assertEquals(1000, in.skip(1000));
            assertArrayEquals(Arrays.copyOfRange(whole, 1005, 10_007), in.readAllBytes());
        }
        try (InputStream other = TestImages.randomStream(4, 10_007)) {
            assertFalse(Arrays.equals(whole, other.readAllBytes()));
        }
    }

    @Test
    void randomStreamOfAGibibyteNeedsNoHeap() throws IOException {
        long before = usedHeap();
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = TestImages.randomStream(11, 1L << 30)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
            }
        }
        assertEquals(1L << 30, total);
        assertTrue(usedHeap() - before < 64L << 20, "heap grew while streaming");
    }

    private static void assertValidLayout(TestImages.Image image) throws IOException {
        assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(image.layoutDir().resolve("oci-layout")));
        JsonNode index = JSON.readTree(image.layoutDir().resolve("index.json").toFile());
        JsonNode entry = index.path("manifests").get(index.path("manifests").size() - 1);
        assertEquals(image.manifest().digest(), entry.path("digest").asText());
        assertEquals(image.tag(), entry.path("annotations").path(TestImages.REF_NAME_ANNOTATION).asText());
        if (Skopeo.available()) {
            Skopeo.Result raw = Skopeo.inspect(image.ociRef(), "--raw").orFail();
            assertArrayEquals(image.manifest().bytes(), raw.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Skopeo.inspect(image.ociRef()).orFail();
        }
    }

    private static long usedHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void skopeoCopiesGeneratedImagesThroughARealRegistry(@TempDir Path tmp) throws Exception {
        assumeTrue(Skopeo.available() && DistributionRegistry.available(), "skopeo and docker-registry are needed");
        TestImages.Image image = TestImages.writeImage(tmp.resolve("src"), 21, 3, 50_000, "v1");
        TestImages.Image index = TestImages.writeIndex(tmp.resolve("src"), 22, List.of("linux/amd64", "linux/arm64"), 2, 2000, "multi");
        try (DistributionRegistry registry = DistributionRegistry.builder().start()) {
            String repo = "docker://" + registry.hostPort() + "/alice/app";
            Skopeo.copy(image.ociRef(), repo + ":v1").orFail();
            Skopeo.copy(index.ociRef(), repo + ":multi", "--all").orFail();
            assertTrue(Skopeo.listTags(repo).orFail().stdout().contains("\"multi\""));
            String pulled = Skopeo.inspect(repo + ":v1", "--raw").orFail().stdout();
            assertArrayEquals(image.manifest().bytes(), pulled.getBytes(java.nio.charset.StandardCharsets.UTF_8));

            Path back = tmp.resolve("back");
            Skopeo.copy(repo + ":multi", "oci:" + back + ":multi", "--all").orFail();
            for (TestImages.Blob blob : index.blobs()) {
                assertArrayEquals(Files.readAllBytes(blob.file()),
                        Files.readAllBytes(back.resolve("blobs/sha256").resolve(blob.digest().substring(7))), blob.digest());
            }
            Skopeo.delete(repo + ":v1").orFail();
            assertFalse(Skopeo.inspect(repo + ":v1").ok());
        }
    }
}
