package dev.registrymesh.e2e.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registrymesh.testkit.Commands;
import dev.registrymesh.testkit.DebianBaseImage;
import dev.registrymesh.testkit.DockerEngine;
import dev.registrymesh.testkit.FreePort;
import dev.registrymesh.testkit.RegistryCluster;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestCertificates;
import dev.registrymesh.testkit.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mesh shipped as containers, end to end, with nothing from the internet but Debian's package mirror:
 * a debootstrapped Debian base (cached) imported into a Docker engine of the test's own and pushed into a
 * registry-service; {@code ./mesh images --base <it> --push <registry>/mesh} builds and pushes the four images;
 * docker-compose runs the project's docker-compose.yml from them with TLS on (our own CA); then a push to the
 * registry and a pull through the mirror balancer (haproxy terminating TLS), a Docker push and pull over TLS
 * verified with the CA in the daemon's certs.d (no insecure-registries), and Prometheus sees every target up
 * on the management ports. One compose stack for all tests, started once.
 *
 * <p>Tagged "netns": it runs in its own surefire execution, in a network namespace of its own (src/test/netns/bin/java
 * makes it, with 192.0.2.10 on its loopback as MESH_IMAGE_TEST_ADDRESS); every other test keeps the machine's loopback.
 */
@Tag("netns")
class ContainerImagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final String TAG = "e2e";
    private static final String ADMIN_PASSWORD = "admin-compose-password";
    private static final String ALICE = "alice:alice-compose-password";
    private static final List<String> SERVICES = List.of("registry-service", "auth-service", "index-service", "mirror-service");
    private static final Path CERTS_D = Path.of("/etc/docker/certs.d");

    @TempDir
    static Path work;
    private static Path root;
    private static String hostIp;
    private static DockerEngine engine;
    private static ServiceProcess imageRegistry;
    private static String baseName;
    private static final Map<String, String> ports = new LinkedHashMap<>();
    private static Map<String, String> composeEnv;
    private static boolean composeStarted;
    private static Path certsDir;
    private static Path clientCerts;
    private static Process prometheus;
    private static Skopeo.Result images;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(DockerEngine.available(), "needs root and Debian's docker.io");
        Assumptions.assumeTrue(DebianBaseImage.available(), "needs debootstrap");
        Assumptions.assumeTrue(Commands.installed("/usr/bin/docker-compose"), "needs docker-compose");
        Assumptions.assumeTrue(Commands.installed("/usr/bin/prometheus"), "needs prometheus");
        Assumptions.assumeTrue(Skopeo.available(), "needs skopeo");
        Assumptions.assumeTrue(TestCertificates.available(), "needs openssl");
        // Docker treats 127.0.0.0/8 as insecure by itself; TLS verification is only real on another address. Tests
        // here must not send traffic to any address but loopback or a network namespace of their own, so the address
        // is never guessed: src/test/netns/bin/java runs this JVM in a namespace of its own and names the address it
        // put on the namespace's loopback (192.0.2.10, TEST-NET-1). Everything below (dockerd, the containers on its
        // host network, Prometheus) lives in that namespace.
        hostIp = System.getenv("MESH_IMAGE_TEST_ADDRESS");
        Assumptions.assumeTrue(hostIp != null && !hostIp.isBlank(),
                "MESH_IMAGE_TEST_ADDRESS is unset: run by the surefire execution netns (needs root and unshare)");
        root = ServiceProcess.repositoryRoot();

        Path rootfs = DebianBaseImage.rootfsTar(); // before the engine: the first run debootstraps for minutes
        assertTrue(Files.size(rootfs) > 0);
        engine = DockerEngine.start(List.of());
        String local = "mesh-test/base:" + DebianBaseImage.VERSION;
        DebianBaseImage.importInto(engine, local);

        imageRegistry = ServiceProcess.builder("registry-service").env("MESH_AUTH_ENABLED", "false").jvmArg("-Xmx256m").start();
        baseName = imageRegistry.hostPort() + "/base/debian:" + DebianBaseImage.VERSION;
        engine.docker("tag", local, baseName).orFailWith("docker tag");
        engine.docker("push", baseName).orFailWith("docker push of the base image");

        images = Commands.run(Duration.ofMinutes(10), Map.of("MESH_SKIP_BUILD", "true"), root,
                "./mesh", "images", "--base", baseName, "--push", imageRegistry.hostPort() + "/mesh", "--tag", TAG);
        images.orFailWith("./mesh images");

        startCompose(local);
    }

    private static void startCompose(String auxiliaryImage) throws Exception {
        TestCertificates ca = TestCertificates.newCa(work.resolve("ca"), "mesh compose test CA");
        TestCertificates.Server server = ca.issue("tls", hostIp, List.of(hostIp, "127.0.0.1", "localhost"));
        Path tlsDir = Files.createDirectories(work.resolve("tls"));
        Files.copy(server.cert(), tlsDir.resolve("tls.crt"));
        Files.copy(server.key(), tlsDir.resolve("tls.key"));
        // Read by uid 10001 in the service containers (a test key; a real one would be group-readable only).
        Files.setPosixFilePermissions(tlsDir.resolve("tls.key"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        // The mirrors follow the registry's challenge to the https realm: their JVMs must trust our CA.
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Commands.run(Duration.ofMinutes(1), Map.of(), tlsDir, keytool, "-importcert", "-noprompt", "-alias", "mesh-test-ca",
                "-file", ca.caCert().toString(), "-keystore", "truststore.p12", "-storetype", "PKCS12", "-storepass", "changeit")
                .orFailWith("keytool");
        Files.setPosixFilePermissions(tlsDir.resolve("truststore.p12"), PosixFilePermissions.fromString("rw-r--r--"));
        clientCerts = Files.createDirectories(work.resolve("client-certs"));
        Files.copy(ca.caCert(), clientCerts.resolve("ca.crt"));

        for (String name : List.of("MESH_REGISTRY_PORT", "MESH_AUTH_PORT", "MESH_INDEX_PORT", "MESH_MIRROR_PORT",
                "MESH_MIRROR_NODE1_PORT", "MESH_MIRROR_NODE2_PORT", "MESH_MIRROR_NODE3_PORT", "MESH_REDIS_PORT",
                "MESH_REGISTRY_MANAGEMENT_PORT", "MESH_AUTH_MANAGEMENT_PORT", "MESH_INDEX_MANAGEMENT_PORT",
                "MESH_MIRROR_NODE1_MANAGEMENT_PORT", "MESH_MIRROR_NODE2_MANAGEMENT_PORT", "MESH_MIRROR_NODE3_MANAGEMENT_PORT",
                "MESH_REGISTRY_TLS_PORT", "MESH_AUTH_TLS_PORT", "MESH_INDEX_TLS_PORT", "MESH_MIRROR_TLS_PORT")) {
            ports.put(name, Integer.toString(FreePort.find()));
        }
        composeEnv = new LinkedHashMap<>(ports);
        composeEnv.put("DOCKER_HOST", engine.host());
        composeEnv.put("MESH_INTERNAL_TOKEN", "compose-e2e-internal-token-0123456789abcdef");
        composeEnv.put("MESH_ADMIN_PASSWORD", ADMIN_PASSWORD);
        composeEnv.put("MESH_IMAGE_PREFIX", imageRegistry.hostPort() + "/mesh");
        composeEnv.put("MESH_IMAGE_TAG", TAG);
        composeEnv.put("MESH_REDIS_IMAGE", auxiliaryImage);
        composeEnv.put("MESH_HAPROXY_IMAGE", auxiliaryImage);
        composeEnv.put("MESH_MEMORY_LIMIT", "400m");
        composeEnv.put("MESH_JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStore=/tls/truststore.p12 -Djavax.net.ssl.trustStorePassword=changeit");
        composeEnv.put("MESH_TLS_DIR", tlsDir.toString());
        composeEnv.put("MESH_TLS_CERT", "/tls/tls.crt");
        composeEnv.put("MESH_TLS_KEY", "/tls/tls.key");
        composeEnv.put("MESH_MIRROR_TLS_CERT", "/tls/tls.crt");
        composeEnv.put("MESH_AUTH_REALM", "https://" + hostIp + ":" + ports.get("MESH_AUTH_TLS_PORT") + "/token");
        composeEnv.put("MIRROR_UPSTREAMS", "mesh=http://127.0.0.1:" + ports.get("MESH_REGISTRY_PORT"));
        composeEnv.put("MIRROR_DEFAULT_UPSTREAM", "mesh");
        composeStarted = true;
        Skopeo.Result up = compose(Duration.ofMinutes(10), "up", "-d");
        assertTrue(up.ok(), "docker-compose up: " + up.stderr() + up.stdout() + logs());
        awaitTls(ca.caCert());
    }

    /**
     * Waits until every TLS port completes a handshake with our CA. Health is readiness on the management port; the
     * first handshakes of a JVM that has just started can outlast a client's TLS timeout (10 s in skopeo and Docker)
     * on a busy machine, which is not what the tests are about.
     */
    private static void awaitTls(Path caCert) {
        for (String name : List.of("MESH_INDEX_TLS_PORT", "MESH_AUTH_TLS_PORT", "MESH_REGISTRY_TLS_PORT", "MESH_MIRROR_TLS_PORT")) {
            String url = "https://" + hostIp + ":" + ports.get(name) + "/v2/";
            String[] last = {""};
            RegistryCluster.await(Duration.ofMinutes(2), () -> {
                Skopeo.Result curl = Commands.run(Duration.ofSeconds(45), Map.of(), work, "curl", "-sS", "-o", "/dev/null",
                        "-w", "%{http_code}", "--cacert", caCert.toString(), "--max-time", "30", url);
                last[0] = curl.stdout() + curl.stderr();
                return curl.ok() ? curl.stdout() : null;
            }, () -> url + ": " + last[0] + logs());
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (prometheus != null) {
            prometheus.destroy();
        }
        if (composeStarted) {
            compose(Duration.ofMinutes(3), "down", "-v", "--timeout", "10");
        }
        if (certsDir != null) {
            try (var files = Files.walk(certsDir)) {
                files.sorted(Collections.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        if (imageRegistry != null) {
            imageRegistry.stop();
        }
        if (engine != null) {
            engine.stop();
        }
    }

    @Test
    void imagesCarryAnnotationsANonRootUserTheDataVolumeAndSeparateLayers() throws IOException {
        String revision = Commands.run(Duration.ofSeconds(30), Map.of(), root, "git", "rev-parse", "HEAD").stdout().trim();
        int baseLayers = JSON.readTree(Skopeo.inspect("docker://" + baseName, "--raw").orFail().stdout()).get("layers").size();
        for (String service : SERVICES) {
            String ref = "docker://" + imageRegistry.hostPort() + "/mesh/" + service + ":" + TAG;
            JsonNode manifest = JSON.readTree(Skopeo.inspect(ref, "--raw").orFail().stdout());
            assertEquals("application/vnd.oci.image.manifest.v1+json", manifest.path("mediaType").asText(), service);
            // dependencies, project libraries, application, runtime (health check, /data) on top of the base
            assertEquals(baseLayers + 4, manifest.get("layers").size(), service + ": " + manifest);

            JsonNode config = JSON.readTree(Skopeo.inspect(ref, "--config").orFail().stdout()).get("config");
            assertEquals("10001:10001", config.path("User").asText(), service);
            assertTrue(config.path("Volumes").has("/data"), service + ": " + config);
            assertTrue(config.path("Env").toString().contains("MESH_DATA_DIR=/data"), service);
            JsonNode labels = config.path("Labels");
            assertEquals(service, labels.path("org.opencontainers.image.title").asText());
            assertEquals(revision, labels.path("org.opencontainers.image.revision").asText(), service);
            assertFalse(labels.path("org.opencontainers.image.version").asText().isBlank(), service);
            assertFalse(labels.path("org.opencontainers.image.source").asText().isBlank(), service);
            assertTrue(labels.path("org.opencontainers.image.created").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), service);
            assertEquals(baseName, labels.path("org.opencontainers.image.base.name").asText(), service);
            assertTrue(config.path("Entrypoint").toString().contains("MaxRAMPercentage"), service);
        }
        // Also tagged latest, the same image.
        assertEquals(Skopeo.inspect("docker://" + imageRegistry.hostPort() + "/mesh/registry-service:" + TAG, "--raw").stdout(),
                Skopeo.inspect("docker://" + imageRegistry.hostPort() + "/mesh/registry-service:latest", "--raw").stdout());
    }

    @Test
    void aPushToTheRegistryAndAPullThroughTheMirrorBalancerWorkOverTls() throws Exception {
        createAlice();
        TestImages.Image image = TestImages.writeImage(work.resolve("src"), 99, 2, 200_000, "v1");
        String certs = clientCerts.toString();
        Skopeo.copy(image.ociRef(), "docker://" + hostIp + ":" + ports.get("MESH_REGISTRY_TLS_PORT") + "/alice/app:v1",
                "--dest-creds", ALICE, "--dest-tls-verify=true", "--dest-cert-dir", certs).orFail();

        Path pulled = work.resolve("pulled");
        Skopeo.Result pull = Skopeo.copy("docker://" + hostIp + ":" + ports.get("MESH_MIRROR_TLS_PORT") + "/alice/app:v1",
                "oci:" + pulled + ":v1", "--src-creds", ALICE, "--src-tls-verify=true", "--src-cert-dir", certs);
        assertTrue(pull.ok(), pull.stderr() + logs());
        for (TestImages.Blob blob : image.blobs()) {
            assertArrayEquals(blob.bytes(), Files.readAllBytes(pulled.resolve("blobs").resolve(blob.digest().replace(':', '/'))));
        }
        // Plain HTTP on the balancer's port works too; health is not served on public ports.
        assertTrue(Skopeo.inspect("docker://127.0.0.1:" + ports.get("MESH_MIRROR_PORT") + "/alice/app:v1", "--creds", ALICE).ok());
        assertEquals(404, Commands.httpStatus("http://127.0.0.1:" + ports.get("MESH_REGISTRY_PORT") + "/q/health/ready"));
    }

    @Test
    void dockerPushesAndPullsOverTlsWithTheCaInCertsD() throws Exception {
        createAlice();
        String registry = hostIp + ":" + ports.get("MESH_REGISTRY_TLS_PORT");
        certsDir = CERTS_D.resolve(registry);
        Files.createDirectories(certsDir);
        Files.copy(clientCerts.resolve("ca.crt"), certsDir.resolve("ca.crt"));

        Path tiny = work.resolve("tiny");
        Files.createDirectories(tiny);
        Files.writeString(tiny.resolve("hello.txt"), "hello over TLS\n");
        Commands.run(Duration.ofSeconds(30), Map.of(), tiny, "tar", "-cf", "../tiny.tar", "hello.txt").orFailWith("tar");
        String ref = registry + "/alice/tiny:v1";
        engine.docker("import", work.resolve("tiny.tar").toString(), ref).orFailWith("docker import");
        engine.dockerWithInput(ALICE.split(":", 2)[1], "login", registry, "-u", "alice", "--password-stdin").orFailWith("docker login");
        Skopeo.Result push = engine.docker("push", ref);
        assertTrue(push.ok(), push.stderr() + push.stdout() + logs());
        engine.docker("rmi", ref).orFailWith("docker rmi");
        Skopeo.Result pull = engine.docker("pull", ref);
        assertTrue(pull.ok(), pull.stderr() + pull.stdout());

        // Without the CA the same daemon refuses the registry: nothing falls back to plain HTTP.
        Files.delete(certsDir.resolve("ca.crt"));
        engine.docker("rmi", ref).orFailWith("docker rmi");
        Skopeo.Result refused = engine.docker("pull", ref);
        assertNotEquals(0, refused.exitCode(), "pulled without the CA: " + refused.stdout());
        assertTrue(refused.stderr().contains("x509") || refused.stderr().contains("certificate"), refused.stderr());
    }

    @Test
    void prometheusSeesEveryTargetUpOnTheManagementPorts() throws Exception {
        String config = Files.readString(root.resolve("deploy/prometheus.yml"))
                .replace("scrape_interval: 15s", "scrape_interval: 2s")
                .replace("127.0.0.1:9000", "127.0.0.1:" + ports.get("MESH_REGISTRY_MANAGEMENT_PORT"))
                .replace("127.0.0.1:9001", "127.0.0.1:" + ports.get("MESH_AUTH_MANAGEMENT_PORT"))
                .replace("127.0.0.1:9002", "127.0.0.1:" + ports.get("MESH_INDEX_MANAGEMENT_PORT"))
                .replace("127.0.0.1:9101", "127.0.0.1:" + ports.get("MESH_MIRROR_NODE1_MANAGEMENT_PORT"))
                .replace("127.0.0.1:9102", "127.0.0.1:" + ports.get("MESH_MIRROR_NODE2_MANAGEMENT_PORT"))
                .replace("127.0.0.1:9103", "127.0.0.1:" + ports.get("MESH_MIRROR_NODE3_MANAGEMENT_PORT"));
        Path file = work.resolve("prometheus.yml");
        Files.writeString(file, config);
        int port = FreePort.find();
        prometheus = new ProcessBuilder("/usr/bin/prometheus", "--config.file=" + file, "--storage.tsdb.path=" + work.resolve("prometheus-data"),
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(work.resolve("prometheus.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/targets"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                last = response.body();
                JsonNode targets = JSON.readTree(last).path("data").path("activeTargets");
                long up = 0;
                for (JsonNode target : targets) {
                    up += "up".equals(target.path("health").asText()) ? 1 : 0;
                }
                if (targets.size() == 6 && up == 6) {
                    return;
                }
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("not every target up within 90 s: " + last);
    }

    private static synchronized void createAlice() {
        String[] alice = ALICE.split(":", 2);
        String index = "http://127.0.0.1:" + ports.get("MESH_INDEX_PORT");
        int created = post(index + "/api/v1/users", "admin:" + ADMIN_PASSWORD, "{\"name\":\"alice\",\"password\":\"" + alice[1] + "\"}");
        assertTrue(created == 201 || created == 409, "create alice: " + created);
        // Public: the mirror reads it from the registry without an account of its own.
        int repository = post(index + "/api/v1/repositories", ALICE, "{\"name\":\"alice/app\",\"visibility\":\"public\"}");
        assertTrue(repository == 201 || repository == 409, "create alice/app: " + repository);
    }

    private static int post(String url, String credentials, String body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Skopeo.Result compose(Duration timeout, String... args) {
        try {
            Path emptyEnv = work.resolve("empty.env");
            if (!Files.exists(emptyEnv)) {
                Files.writeString(emptyEnv, "");
            }
            List<String> command = new java.util.ArrayList<>(List.of("docker-compose", "--env-file", emptyEnv.toString(),
                    "-f", root.resolve("docker-compose.yml").toString(), "-p", "meshe2e"));
            command.addAll(List.of(args));
            return Commands.run(timeout, composeEnv, root, command);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String logs() {
        Skopeo.Result ps = compose(Duration.ofMinutes(1), "ps");
        Skopeo.Result logs = compose(Duration.ofMinutes(1), "logs", "--tail", "40");
        return "\n--- docker-compose ps ---\n" + ps.stdout() + "\n--- logs ---\n" + logs.stdout() + logs.stderr();
    }
}
