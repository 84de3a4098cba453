package dev.registrymesh.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * S3Proxy (Maven Central {@code org.gaul:s3proxy}, the {@code jar-with-dependencies}) on 127.0.0.1 and a free
 * port, on jclouds' filesystem-nio2 backend in a temp directory: an S3-compatible store for the s3 storage
 * driver's tests. A bucket is a directory under the base directory ({@link #createBucket}).
 *
 * <p>The jar is found at the system property {@code s3proxy.jar}, else at {@code target/s3proxy/s3proxy.jar}
 * of the module under test (the builds of registry-service and e2e-tests copy it there), else at
 * {@code registry-service/target/s3proxy/s3proxy.jar} of the repository ({@link ServiceProcess#repositoryRoot()}),
 * else in the local Maven repository.
 */
public final class S3ProxyServer extends LocalServer {
    public static final String ACCESS_KEY = "mesh-test-access";
    public static final String SECRET_KEY = "mesh-test-secret";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path jar;

    private S3ProxyServer(Path jar, int port, Path dir, Path logFile) {
        super(port, dir, logFile);
        this.jar = jar;
    }

    public static S3ProxyServer start() {
        Path jar = findJar();
        return onFreePort(port -> launch(jar, port));
    }

    /** Where the jar is, or an exception saying how to get it. */
    public static Path findJar() {
        String configured = System.getProperty("s3proxy.jar");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path copied = Path.of(System.getProperty("user.dir"), "target", "s3proxy", "s3proxy.jar");
        if (Files.isRegularFile(copied)) {
            return copied;
        }
        try {
            Path built = ServiceProcess.repositoryRoot().resolve("registry-service/target/s3proxy/s3proxy.jar");
            if (Files.isRegularFile(built)) {
                return built;
            }
        } catch (IllegalStateException noRepository) {
            // not inside the repository: the local Maven repository is the last place
        }
        Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "gaul", "s3proxy");
        if (Files.isDirectory(m2)) {
            try (Stream<Path> files = Files.walk(m2)) {
                return files.filter(p -> p.getFileName().toString().endsWith("-jar-with-dependencies.jar"))
                        .sorted(java.util.Comparator.reverseOrder()).findFirst()
                        .orElseThrow(() -> missing(copied));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw missing(copied);
    }

    private static IllegalStateException missing(Path expected) {
        return new IllegalStateException("S3Proxy jar not found at " + expected + " nor in ~/.m2; run the module's build"
                + " (process-test-resources copies org.gaul:s3proxy:jar-with-dependencies there) or set -Ds3proxy.jar=");
    }

    private static S3ProxyServer launch(Path jar, int port) {
        Path dir = ChildProcess.tempDir("mesh-s3proxy-");
        Path properties = dir.resolve("s3proxy.properties");
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem-nio2",
                    "jclouds.identity=" + ACCESS_KEY,
                    "jclouds.credential=" + SECRET_KEY,
                    "jclouds.filesystem.basedir=" + dir.resolve("data")) + "\n");
        } catch (IOException e) {
            ChildProcess.deleteTree(dir);
            throw new UncheckedIOException(e);
        }
        return started(new S3ProxyServer(jar, port, dir, ChildProcess.newLogFile("s3proxy-" + port)), S3ProxyServer::spawnAndAwait);
    }

    private void spawnAndAwait() {
        // Nothing of the test machine's AWS setup (AWS_CA_BUNDLE, credentials, profiles) reaches the proxy.
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.keySet().removeIf(key -> key.startsWith("AWS_"));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString(), "--properties", dir().resolve("s3proxy.properties").toString());
        startProcess("s3proxy on port " + port(), command, env, READY_TIMEOUT, () -> ChildProcess.httpStatus(endpoint()) > 0);
    }

    /** SIGKILL, as an outage of the store: the data stays, {@link #startAgain()} brings the same store back. */
    public void kill() {
        ChildProcess.kill(process());
    }

    /** After {@link #kill()}: starts the proxy again on the same port and data; returns when it answers. */
    public void startAgain() {
        if (process() != null && process().isAlive()) {
            throw new IllegalStateException("s3proxy on port " + port() + " still runs");
        }
        spawnAndAwait();
    }

    /** Creates a bucket (a directory of the filesystem backend); returns its name. */
    public String createBucket(String name) {
        try {
            Files.createDirectories(bucketDir(name));
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the filesystem backend keeps a bucket's objects: each key a file at its path under this directory. */
    public Path bucketDir(String bucket) {
        return dir().resolve("data").resolve(bucket);
    }

    /** The settings that put a registry-service's storage in {@code bucket} under {@code prefix} here. */
    public Map<String, String> registryEnv(String bucket, String prefix) {
        return Map.of(
                "MESH_STORAGE_DRIVER", "s3",
                "MESH_S3_ENDPOINT", endpoint(),
                "MESH_S3_REGION", "us-east-1",
                "MESH_S3_BUCKET", bucket,
                "MESH_S3_PREFIX", prefix,
                "MESH_S3_PATH_STYLE", "true",
                "AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    /** {@code http://127.0.0.1:<port>} */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public String toString() {
        return "s3proxy@" + endpoint();
    }
}
