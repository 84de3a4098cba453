package dev.registrymesh.registry;

import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registrymesh.common.Digest;
import dev.registrymesh.common.MediaTypes;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the registry tests share: unique repository names, deterministic content, manifest builders, and
 * the few HTTP calls that set up state (push a blob, push a manifest). Tests stay independent of each
 * other, and of earlier runs on the same data directory, by working in repositories of their own.
 */
public final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong SEED = new AtomicLong(42);
    /** Distinguishes this JVM's repositories from those an earlier run left in the test data directory. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicLong COUNTER = new AtomicLong();

    private Fixtures() {
    }

    /** A request that sends bodies as given: no charset appended to manifest or blob content types. */
    public static RequestSpecification given() {
        return RestAssured.given().config(RestAssured.config()
                .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)));
    }

    /** A repository name no other test uses, e.g. {@code t-1a2b3c4d-7/blobs}. */
    public static String repo(String prefix) {
        return "t-" + RUN + "-" + COUNTER.incrementAndGet() + "/" + prefix;
    }

    /** Distinct, reproducible bytes. */
    public static byte[] bytes(int size) {
        byte[] b = new byte[size];
        new Random(SEED.incrementAndGet()).nextBytes(b);
        return b;
    }

    public static String sha256(byte[] content) {
        return Digest.sha256(content).toString();
    }

    public static String sha512(byte[] content) {
        return Digest.compute(Digest.Algorithm.SHA512, content).toString();
    }

    /** A random-looking digest of content nobody pushed. */
    public static String absentDigest() {
        return sha256(bytes(16));
    }

    /** The spec's error body check: status and the first error's code. */
    public static ValidatableResponse error(ValidatableResponse response, int status, String code) {
        return response.statusCode(status).body("errors[0].code", equalTo(code));
    }

    /** A content descriptor, as manifests reference blobs and manifests. */
    public record Descriptor(String mediaType, String digest, long size) {
        public static Descriptor of(String mediaType, byte[] content) {
            return new Descriptor(mediaType, sha256(content), content.length);
        }

        ObjectNode json() {
            return JSON.createObjectNode().put("mediaType", mediaType).put("digest", digest).put("size", size);
        }
    }

    /** Pushes a blob in one request ({@code POST ?digest=}) and returns its descriptor. */
    public static Descriptor pushBlob(String repo, String mediaType, byte[] content) {
        Descriptor descriptor = Descriptor.of(mediaType, content);
        given().contentType(MediaTypes.OCTET_STREAM).body(content).queryParam("digest", descriptor.digest())
                .post("/v2/" + repo + "/blobs/uploads/")
                .then().statusCode(201);
        return descriptor;
    }

    public static Descriptor pushBlob(String repo, byte[] content) {
        return pushBlob(repo, MediaTypes.OCI_LAYER_GZIP, content);
    }

    /** PUTs a manifest under {@code reference} (tag or digest) and returns its descriptor. */
    public static Descriptor putManifest(String repo, String reference, String mediaType, byte[] content) {
        given().contentType(mediaType).body(content)
                .put("/v2/" + repo + "/manifests/" + reference)
                .then().statusCode(201);
        return Descriptor.of(mediaType, content);
    }

    /** Pushes a config, one layer and an image manifest of {@code mediaType} tagged {@code tag} (null: by digest). */
    public static Descriptor pushImage(String repo, String tag, String mediaType) {
        boolean docker = mediaType.equals(MediaTypes.DOCKER_MANIFEST_V2);
        Descriptor config = pushBlob(repo, docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG,
                ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + SEED.incrementAndGet() + "}").getBytes(StandardCharsets.UTF_8));
        Descriptor layer = pushBlob(repo, docker ? MediaTypes.DOCKER_LAYER : MediaTypes.OCI_LAYER_GZIP, bytes(300));
        byte[] manifest = image(mediaType).config(config).layer(layer).bytes();
        return putManifest(repo, tag != null ? tag : sha256(manifest), mediaType, manifest);
    }

    public static ImageBuilder image(String mediaType) {
        return new ImageBuilder(mediaType);
    }

    public static IndexBuilder index(String mediaType) {
        return new IndexBuilder(mediaType);
    }

    /** An image manifest (Docker schema2 or OCI). */
    public static final class ImageBuilder {
        private final ObjectNode root = JSON.createObjectNode();
        private final ArrayNode layers;

        ImageBuilder(String mediaType) {
            root.put("schemaVersion", 2).put("mediaType", mediaType);
            layers = root.putArray("layers");
        }

        public ImageBuilder config(Descriptor config) {
            root.set("config", config.json());
            return this;
        }

        public ImageBuilder layer(Descriptor layer) {
            layers.add(layer.json());
            return this;
        }

        public ImageBuilder artifactType(String type) {
            root.put("artifactType", type);
            return this;
        }

        public ImageBuilder subject(Descriptor subject) {
            root.set("subject", subject.json());
            return this;
        }

        public ImageBuilder annotation(String key, String value) {
            root.withObject("/annotations").put(key, value);
            return this;
        }

        public byte[] bytes() {
            return write(root);
        }
    }

    /** An index (OCI image index or Docker manifest list). */
    public static final class IndexBuilder {
        private final ObjectNode root = JSON.createObjectNode();
        private final ArrayNode manifests;

        IndexBuilder(String mediaType) {
            root.put("schemaVersion", 2).put("mediaType", mediaType);
            manifests = root.putArray("manifests");
        }

        public IndexBuilder manifest(Descriptor child, String os, String architecture) {
            ObjectNode entry = child.json();
            entry.putObject("platform").put("os", os).put("architecture", architecture);
            manifests.add(entry);
            return this;
        }

        public IndexBuilder artifactType(String type) {
            root.put("artifactType", type);
            return this;
        }

        public IndexBuilder subject(Descriptor subject) {
            root.set("subject", subject.json());
            return this;
        }

        public byte[] bytes() {
            return write(root);
        }
    }

    private static byte[] write(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
