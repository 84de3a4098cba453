package dev.registrymesh.e2e.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import dev.registrymesh.testkit.Skopeo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Jib (jib-core, the library behind the Maven and Gradle plugins) pushes to registry-service with token auth on,
 * through the real index and auth services: images built from scratch in both of Jib's formats, and an image
 * built FROM another one of the same registry, for which Jib mounts the base layers across repositories
 * instead of uploading them again. skopeo pulls the results back byte for byte.
 *
 * <p>Jib asks {@code https://} first; "allowInsecureRegistries" lets it fall back to plain HTTP, and it only
 * sends credentials over plain HTTP when the {@code sendCredentialsOverHttp} system property says so.
 */
class JibClientTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "alice-jib-password";
    /** Jib's switch for Authorization headers over plain HTTP (to the registry and to the token realm). */
    private static final String SEND_CREDENTIALS_OVER_HTTP = "sendCredentialsOverHttp";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static MeshStack mesh;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Skopeo.available(), "skopeo is not installed");
        mesh = MeshStack.start();
        MeshStack.Answer created = mesh.call("POST", "/api/v1/users", "admin:" + MeshStack.ADMIN_PASSWORD,
                Map.of("name", USER, "password", PASSWORD));
        assertEquals(201, created.status(), "create " + USER + ": " + created);
    }

    @AfterAll
    static void stop() {
        System.clearProperty(SEND_CREDENTIALS_OVER_HTTP);
        if (mesh != null) {
            mesh.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ImageFormat.class)
    void imageFromScratchIsPushedAndPulledBackUnchanged(ImageFormat format) throws Exception {
        String ref = mesh.registry.hostPort() + "/alice/jibapp-" + format.name().toLowerCase() + ":v1";
        List<String> log = new ArrayList<>();

        JibContainer pushed = containerize(appLayers(Jib.fromScratch(), "scratch-" + format).setFormat(format), ref, log);

        assertTrue(pushed.isImagePushed(), "Jib says nothing was pushed");
        Path pulled = pull(ref, "scratch-" + format);
        assertEquals(pushed.getDigest().toString(), sha256(pulled.resolve("manifest.json")), "manifest digest");
        JsonNode manifest = JSON.readTree(pulled.resolve("manifest.json").toFile());
        String expectedType = format == ImageFormat.OCI
                ? "application/vnd.oci.image.manifest.v1+json"
                : "application/vnd.docker.distribution.manifest.v2+json";
        assertEquals(expectedType, manifest.path("mediaType").asText(), manifest.toString());
        // Jib's image ID is the config digest; skopeo checked every blob's digest on the way in.
        assertEquals(pushed.getImageId().toString(), manifest.path("config").path("digest").asText());
        assertEquals(2, manifest.path("layers").size(), manifest.toString());
        // Over plain HTTP: Jib tried https:// first and said so when it fell back.
        assertTrue(log.stream().anyMatch(line -> line.contains("over HTTPS. Attempting again with HTTP")),
                "no HTTP fallback logged: " + log);
    }

    @Test
    void imageFromAnImageOfTheSameRegistryMountsTheBaseLayers() throws Exception {
        String baseRef = mesh.registry.hostPort() + "/alice/jibbase:v1";
        String derivedRef = mesh.registry.hostPort() + "/alice/jibderived:v1";
        JibContainer base = containerize(appLayers(Jib.fromScratch(), "base"), baseRef, new ArrayList<>());
        double mountedBefore = uploadStarts(201);

        RegistryImage from = RegistryImage.named(baseRef).addCredential(USER, PASSWORD);
        Path extra = Files.writeString(work.resolve("derived-extra.txt"), "the derived image's own layer\n");
        JibContainer derived = containerize(Jib.from(from).addLayer(List.of(extra), AbsoluteUnixPath.get("/extra")),
                derivedRef, new ArrayList<>());

        // Both base layers were linked into alice/jibderived by POST ?mount=&from= (201), not uploaded again.
        assertEquals(2, uploadStarts(201) - mountedBefore, "cross-repository mounts answered 201\n" + mesh.logs());
        JsonNode baseManifest = JSON.readTree(pull(baseRef, "base").resolve("manifest.json").toFile());
        Path derivedDir = pull(derivedRef, "derived");
        assertEquals(base.getDigest().toString(), sha256(pull(baseRef, "base-again").resolve("manifest.json")));
        assertEquals(derived.getDigest().toString(), sha256(derivedDir.resolve("manifest.json")));
        List<String> baseLayers = digests(baseManifest.path("layers"));
        List<String> derivedLayers = digests(JSON.readTree(derivedDir.resolve("manifest.json").toFile()).path("layers"));
        assertEquals(3, derivedLayers.size(), derivedLayers.toString());
        assertEquals(baseLayers, derivedLayers.subList(0, 2), "the derived image starts with the base's layers");
    }

    /** Without the system property Jib strips Authorization over plain HTTP, so the token server refuses it. */
    @Test
    void credentialsStayHomeOverPlainHttpUnlessAllowed() throws Exception {
        String ref = mesh.registry.hostPort() + "/alice/jibrefused:v1";
        System.clearProperty(SEND_CREDENTIALS_OVER_HTTP);
        try {
            RegistryCredentialsNotSentException failed = assertThrows(RegistryCredentialsNotSentException.class,
                    () -> appLayers(Jib.fromScratch(), "refused").containerize(containerizer(ref, new ArrayList<>())));
            assertTrue(failed.getMessage().contains("not sent because the connection was over HTTP"), failed.getMessage());
        } finally {
            System.setProperty(SEND_CREDENTIALS_OVER_HTTP, "true");
        }
        assertFalse(Skopeo.inspect("docker://" + ref, "--creds", USER + ":" + PASSWORD).ok(), "nothing was pushed");
    }

    // ---------------------------------------------------------------------------------------------------

    /** Two layers of files under /app, fixed creation time (Jib's default too) so the digest is reproducible. */
    private static JibContainerBuilder appLayers(JibContainerBuilder builder, String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve("files-" + name));
        Path lib = Files.write(dir.resolve("lib.bin"), bytes(name + "-lib", 40_000));
        Path app = Files.writeString(dir.resolve("app.txt"), "hello from " + name + "\n");
        return builder
                .addLayer(List.of(lib), AbsoluteUnixPath.get("/app/lib"))
                .addLayer(List.of(app), AbsoluteUnixPath.get("/app"))
                .setEntrypoint("/app/app.txt")
                .setCreationTime(Instant.EPOCH);
    }

    private static JibContainer containerize(JibContainerBuilder builder, String ref, List<String> log) throws Exception {
        System.setProperty(SEND_CREDENTIALS_OVER_HTTP, "true");
        try {
            return builder.containerize(containerizer(ref, log));
        } catch (ExecutionException e) {
            throw new AssertionError("Jib failed to push " + ref + ": " + e.getCause() + "\nJib's log: " + log + mesh.logs(), e);
        }
    }

    /** Jib's caches in the test's temp directory, not in ~/.cache; its log events collected in {@code log}. */
    private static Containerizer containerizer(String ref, List<String> log) throws Exception {
        return Containerizer.to(RegistryImage.named(ref).addCredential(USER, PASSWORD))
                .setAllowInsecureRegistries(true)
                .setBaseImageLayersCache(work.resolve("jib-cache/base"))
                .setApplicationLayersCache(work.resolve("jib-cache/app"))
                .setToolName("registry-mesh-e2e")
                .addEventHandler(LogEvent.class, event -> {
                    synchronized (log) {
                        log.add(event.getLevel() + " " + event.getMessage());
                    }
                });
    }

    /** {@code skopeo copy} into a {@code dir:} directory, which keeps the manifest exactly as the registry serves it. */
    private static Path pull(String ref, String name) {
        Path dir = work.resolve("pulled-" + name);
        Skopeo.copy("docker://" + ref, "dir:" + dir, "--src-creds", USER + ":" + PASSWORD).orFail();
        return dir;
    }

    /** POSTs to /v2/<name>/blobs/uploads the registry answered with {@code status} (201: a mount or a monolithic upload). */
    private static double uploadStarts(int status) {
        return mesh.registry.metricSum("http_server_requests_seconds_count{", "method=\"POST\"", "status=\"" + status + "\"",
                "uri=\"/v2/{name}/blobs/uploads\"");
    }

    private static List<String> digests(JsonNode descriptors) {
        return StreamSupport.stream(descriptors.spliterator(), false).map(d -> d.path("digest").asText()).toList();
    }

    private static byte[] bytes(String seed, int size) {
        byte[] out = new byte[size];
        byte[] pattern = seed.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < size; i++) {
            out[i] = (byte) (pattern[i % pattern.length] + i / pattern.length);
        }
        return out;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
