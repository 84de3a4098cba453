package dev.registrymesh.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registrymesh.common.MediaTypes;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Deterministic test images: the same arguments give the same bytes, hence the same digests. Images are
 * written as OCI image layouts (the {@code oci:<dir>:<tag>} transport of skopeo): {@code oci-layout},
 * {@code index.json} naming the top manifest by the {@code org.opencontainers.image.ref.name} annotation,
 * and {@code blobs/sha256/<hex>}. Each layer is a real gzip'ed tar holding one file of random bytes, and the
 * config's {@code rootfs.diff_ids} are the digests of the uncompressed tars, so clients that unpack layers
 * are satisfied too. Everything streams through a 64 KiB buffer: layers of gigabytes are fine.
 *
 * <p>Writing a second image into the same layout adds it to {@code index.json} (a tag already there is
 * replaced), so one layout can hold several tags.
 */
public final class TestImages {

    public static final String REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name";
    private static final int BUFFER = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A fixed time stamp keeps configs deterministic. */
    private static final String CREATED = "2024-01-01T00:00:00Z";

    private TestImages() {
    }

    public record Blob(String digest, String mediaType, long size, Path file) {
        /** The content (for manifests and configs; do not call on large layers). */
        public byte[] bytes() {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public boolean isManifest() {
            return MediaTypes.isManifest(mediaType);
        }
    }

    /**
     * {@code manifest} is the top manifest (image manifest or index); {@code blobs} is every blob of the
     * image in push order: for each image its layers then its config then its manifest; for an index the
     * child images first and the index itself last.
     */
    public record Image(Path layoutDir, String tag, Blob manifest, List<Blob> blobs) {
        public String ociRef() {
            return "oci:" + layoutDir + ":" + tag;
        }

        /** Layers and configs: what a client uploads with the blob API. */
        public List<Blob> plainBlobs() {
            return blobs.stream().filter(b -> !b.isManifest()).toList();
        }

        /** The manifests of an index's images (empty for a single image). */
        public List<Blob> childManifests() {
            return blobs.stream().filter(b -> b.isManifest() && !b.equals(manifest)).toList();
        }
    }

    /** One image manifest with {@code layers} layers of about {@code layerSize} bytes each, tagged {@code tag}. */
    public static Image writeImage(Path layoutDir, long seed, int layers, int layerSize, String tag) {
        try {
            List<Blob> blobs = new ArrayList<>();
            Blob manifest = writeImageBlobs(layoutDir, seed, "linux/amd64", layers, layerSize, blobs);
            addToIndexJson(layoutDir, manifest, tag);
            return new Image(layoutDir, tag, manifest, List.copyOf(blobs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An OCI image index with one image per platform ({@code "linux/amd64"}, {@code "linux/arm/v7"}...), tagged {@code tag}. */
    public static Image writeIndex(Path layoutDir, long seed, List<String> platforms, int layersPerImage, int layerSize, String tag) {
        try {
            SplittableRandom seeds = new SplittableRandom(seed);
            List<Blob> blobs = new ArrayList<>();
            ArrayNode manifests = JSON.createArrayNode();
            for (String platform : platforms) {
                Blob child = writeImageBlobs(layoutDir, seeds.nextLong(), platform, layersPerImage, layerSize, blobs);
                ObjectNode descriptor = descriptor(child);
                descriptor.set("platform", platformJson(platform));
                manifests.add(descriptor);
            }
            ObjectNode index = JSON.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", MediaTypes.OCI_INDEX);
            index.set("manifests", manifests);
            Blob top = writeBytes(layoutDir, MediaTypes.OCI_INDEX, JSON.writeValueAsBytes(index));
            blobs.add(top);
            addToIndexJson(layoutDir, top, tag);
            return new Image(layoutDir, tag, top, List.copyOf(blobs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An uncompressed tar holding one regular file, for {@code docker import} and the like. */
    public static Path writeSingleFileTar(Path tarFile, String fileName, byte[] content) {
        try (OutputStream out = Files.newOutputStream(tarFile)) {
            out.write(Tar.header(fileName, content.length));
            out.write(content);
            out.write(new byte[Tar.padding(content.length) + Tar.END_OF_ARCHIVE]);
            return tarFile;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code size} deterministic pseudo-random bytes, generated as they are read (no buffering). */
    public static InputStream randomStream(long seed, long size) {
        return new RandomInputStream(seed, size);
    }

    /** Writes layers, config and manifest of one image into the layout; appends them to {@code blobs}. */
    private static Blob writeImageBlobs(Path layoutDir, long seed, String platform, int layers, int layerSize, List<Blob> blobs)
            throws IOException {
        if (layers < 0 || layerSize < 0) {
            throw new IllegalArgumentException("layers and layerSize must not be negative");
        }
        SplittableRandom seeds = new SplittableRandom(seed);
        ArrayNode layerDescriptors = JSON.createArrayNode();
        ArrayNode diffIds = JSON.createArrayNode();
        ArrayNode history = JSON.createArrayNode();
        for (int i = 0; i < layers; i++) {
            long layerSeed = seeds.nextLong();
            String fileName = String.format("testkit/layer-%d-%016x.bin", i, layerSeed);
            LayerResult layer = writeLayer(layoutDir, layerSeed, layerSize, fileName);
            blobs.add(layer.blob());
            layerDescriptors.add(descriptor(layer.blob()));
            diffIds.add(layer.diffId());
            ObjectNode step = JSON.createObjectNode();
            step.put("created", CREATED);
            step.put("created_by", "testkit: ADD " + fileName);
            history.add(step);
        }
        ObjectNode config = platformJson(platform);
        config.put("created", CREATED);
        ObjectNode runtime = config.putObject("config");
        runtime.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        runtime.putArray("Cmd").add("/bin/sh");
        runtime.putObject("Labels").put("dev.registrymesh.testkit.seed", Long.toString(seed));
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.set("diff_ids", diffIds);
        config.set("history", history);
        Blob configBlob = writeBytes(layoutDir, MediaTypes.OCI_CONFIG, JSON.writeValueAsBytes(config));
        blobs.add(configBlob);

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.set("config", descriptor(configBlob));
        manifest.set("layers", layerDescriptors);
        Blob manifestBlob = writeBytes(layoutDir, MediaTypes.OCI_MANIFEST, JSON.writeValueAsBytes(manifest));
        blobs.add(manifestBlob);
        return manifestBlob;
    }

    private record LayerResult(Blob blob, String diffId) {
    }

    /** A tar.gz with one regular file of {@code size} random bytes, streamed into the blob store. */
    private static LayerResult writeLayer(Path layoutDir, long seed, long size, String fileName) throws IOException {
        Path blobDir = blobDir(layoutDir);
        Path tmp = Files.createTempFile(blobDir, ".layer-", ".tmp");
        MessageDigest compressed = sha256();
        MessageDigest uncompressed = sha256();
        CountingOutputStream counter;
        try {
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), BUFFER)) {
                counter = new CountingOutputStream(new DigestOutputStream(file, compressed));
                try (OutputStream tar = new DigestOutputStream(new GZIPOutputStream(counter, BUFFER), uncompressed);
                     InputStream content = randomStream(seed, size)) {
                    tar.write(Tar.header(fileName, size));
                    byte[] buffer = new byte[BUFFER];
                    for (int n; (n = content.read(buffer)) > 0; ) {
                        tar.write(buffer, 0, n);
                    }
                    tar.write(new byte[Tar.padding(size) + Tar.END_OF_ARCHIVE]);
                }
            }
            String hex = HexFormat.of().formatHex(compressed.digest());
            Files.move(tmp, blobDir.resolve(hex), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Blob blob = new Blob("sha256:" + hex, MediaTypes.OCI_LAYER_GZIP, counter.count, blobDir.resolve(hex));
            return new LayerResult(blob, "sha256:" + HexFormat.of().formatHex(uncompressed.digest()));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Blob writeBytes(Path layoutDir, String mediaType, byte[] bytes) throws IOException {
        Path blobDir = blobDir(layoutDir);
        String hex = HexFormat.of().formatHex(sha256().digest(bytes));
        Path file = blobDir.resolve(hex);
        Path tmp = Files.createTempFile(blobDir, ".blob-", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Blob("sha256:" + hex, mediaType, bytes.length, file);
    }

    /** Creates the layout skeleton when needed and returns {@code blobs/sha256}. */
    private static Path blobDir(Path layoutDir) throws IOException {
        Path dir = layoutDir.resolve("blobs").resolve("sha256");
        Files.createDirectories(dir);
        Path marker = layoutDir.resolve("oci-layout");
        if (!Files.exists(marker)) {
            Files.writeString(marker, "{\"imageLayoutVersion\":\"1.0.0\"}", StandardCharsets.UTF_8);
        }
        return dir;
    }

    /** Adds the manifest under {@code tag} to the layout's index.json, replacing an entry of the same tag. */
    private static void addToIndexJson(Path layoutDir, Blob manifest, String tag) throws IOException {
        Path indexFile = layoutDir.resolve("index.json");
        ArrayNode manifests = JSON.createArrayNode();
        if (Files.exists(indexFile)) {
            for (JsonNode entry : JSON.readTree(indexFile.toFile()).path("manifests")) {
                if (!tag.equals(entry.path("annotations").path(REF_NAME_ANNOTATION).asText(null))) {
                    manifests.add(entry);
                }
            }
        }
        ObjectNode descriptor = descriptor(manifest);
        descriptor.putObject("annotations").put(REF_NAME_ANNOTATION, tag);
        manifests.add(descriptor);
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.set("manifests", manifests);
        Path tmp = Files.createTempFile(layoutDir, ".index-", ".tmp");
        try {
            Files.write(tmp, JSON.writeValueAsBytes(index));
            Files.move(tmp, indexFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static ObjectNode descriptor(Blob blob) {
        ObjectNode descriptor = JSON.createObjectNode();
        descriptor.put("mediaType", blob.mediaType());
        descriptor.put("digest", blob.digest());
        descriptor.put("size", blob.size());
        return descriptor;
    }

    /** {@code "linux/arm64/v8"} -> {"architecture":"arm64","os":"linux","variant":"v8"}. */
    private static ObjectNode platformJson(String platform) {
        String[] parts = platform.split("/");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("platform must be os/architecture[/variant]: " + platform);
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("architecture", parts[1]);
        node.put("os", parts[0]);
        if (parts.length == 3) {
            node.put("variant", parts[2]);
        }
        return node;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Just enough of the ustar format for one regular file. */
    static final class Tar {
        static final int BLOCK = 512;
        static final int END_OF_ARCHIVE = 2 * BLOCK;

        private Tar() {
        }

        static byte[] header(String name, long size) {
            byte[] name8 = name.getBytes(StandardCharsets.UTF_8);
            if (name8.length > 100) {
                throw new IllegalArgumentException("tar name longer than 100 bytes: " + name);
            }
            if (size >= 077777777777L) {
                throw new IllegalArgumentException("tar entry larger than 8 GiB: " + size);
            }
            byte[] h = new byte[BLOCK];
            System.arraycopy(name8, 0, h, 0, name8.length);
            octal(h, 100, 8, 0644);   // mode
            octal(h, 108, 8, 0);      // uid
            octal(h, 116, 8, 0);      // gid
            octal(h, 124, 12, size);  // size
            octal(h, 136, 12, 0);     // mtime: fixed for determinism
            h[156] = '0';             // regular file
            ascii(h, 257, "ustar\0"); // magic
            ascii(h, 263, "00");      // version
            ascii(h, 265, "root");    // uname
            ascii(h, 297, "root");    // gname
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';           // checksum counted as spaces
            }
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            octal(h, 148, 7, sum);    // six digits, NUL, then the space already there
            return h;
        }

        static int padding(long size) {
            int rest = (int) (size % BLOCK);
            return rest == 0 ? 0 : BLOCK - rest;
        }

        /** Zero-padded octal in {@code length - 1} digits followed by NUL. */
        private static void octal(byte[] h, int offset, int length, long value) {
            String digits = Long.toOctalString(value);
            String padded = "0".repeat(length - 1 - digits.length()) + digits;
            ascii(h, offset, padded);
            h[offset + length - 1] = 0;
        }

        private static void ascii(byte[] h, int offset, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(bytes, 0, h, offset, bytes.length);
        }
    }
}
