package dev.registrymesh.testkit;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A packaged Quarkus service ({@code <root>/<module>/target/quarkus-app/quarkus-run.jar}) run as a child
 * process on 127.0.0.1, as a user would run it. The repository root comes from the system property
 * {@code mesh.root}, else from walking up from {@code user.dir} to the directory holding {@code mvnw}.
 *
 * <p>The child does not inherit {@code MESH_*}, {@code QUARKUS_*}, {@code MIRROR_*} or {@code REDIS_URL}
 * from the test JVM's environment: a test sees only what it sets. Unless the test sets
 * {@code MESH_DATA_DIR}, the service keeps its files in a temp directory removed by {@link #stop()}.
 *
 * <p>Health and metrics answer on the service's management port ({@link #managementUrl()}), a free port of its
 * own unless the test sets {@code QUARKUS_MANAGEMENT_PORT}; readiness is awaited there.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final List<String> HIDDEN_ENV_PREFIXES = List.of("MESH_", "QUARKUS_", "MIRROR_", "REDIS_URL");

    private final String module;
    private final int port;
    private final int managementPort;
    private final Process process;
    private final Path logFile;
    private final Path workDir;
    private final Path dataDir;

    private ServiceProcess(String module, int port, int managementPort, Process process, Path logFile, Path workDir,
            Path dataDir) {
        this.module = module;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.logFile = logFile;
        this.workDir = workDir;
        this.dataDir = dataDir;
    }

    public static Builder builder(String module) {
        return new Builder(module);
    }

    public static final class Builder {
        private final String module;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private int port;
        private Duration readyTimeout = READY_TIMEOUT;

        private Builder(String module) {
            this.module = module;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Builder env(Map<String, String> more) {
            env.putAll(more);
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        /** A fixed port (a restart on the same address); default {@link FreePort#find()}. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        public ServiceProcess start() {
            Path jar = repositoryRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing; build it first: ./mvnw -B -pl " + module
                        + " -am package -DskipTests");
            }
            // A random port may be taken between FreePort.find() and the bind: try another one then.
            int attempts = port == 0 ? 3 : 1;
            for (int attempt = 1; ; attempt++) {
                try {
                    return launch(jar, port == 0 ? FreePort.find() : port);
                } catch (ChildProcess.ProcessFailedException e) {
                    if (attempt >= attempts || !e.portInUse()) {
                        throw e;
                    }
                }
            }
        }

        private ServiceProcess launch(Path jar, int chosenPort) {
            Path workDir = ChildProcess.tempDir("mesh-" + module + "-");
            Map<String, String> childEnv = new LinkedHashMap<>();
            childEnv.put("QUARKUS_HTTP_PORT", Integer.toString(chosenPort));
            childEnv.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            childEnv.put("MESH_DATA_DIR", workDir.resolve("data").toString());
            childEnv.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(FreePort.find()));
            childEnv.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
            childEnv.putAll(env);
            int managementPort = Integer.parseInt(childEnv.get("QUARKUS_MANAGEMENT_PORT"));

            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmArgs);
            command.add("-jar");
            command.add(jar.toString());

            Path log = ChildProcess.newLogFile(module + "-" + chosenPort);
            Process process = startWithCleanEnv(command, childEnv, workDir, log);
            ServiceProcess service = new ServiceProcess(module, chosenPort, managementPort, process, log, workDir,
                    Path.of(childEnv.get("MESH_DATA_DIR")));
            try {
                ChildProcess.awaitReady(module + " on port " + chosenPort, process, log, readyTimeout,
                        () -> ChildProcess.httpStatus(service.managementUrl() + "/q/health/ready") == 200);
            } catch (RuntimeException e) {
                service.kill();
                ChildProcess.deleteTree(workDir);
                throw e;
            }
            return service;
        }

        private static Process startWithCleanEnv(List<String> command, Map<String, String> env, Path workDir, Path log) {
            Map<String, String> full = new LinkedHashMap<>(System.getenv());
            full.keySet().removeIf(key -> HIDDEN_ENV_PREFIXES.stream().anyMatch(key::startsWith));
            full.putAll(env);
            return ChildProcess.startExactEnv(command, full, workDir, log);
        }
    }

    /** The repository root: system property {@code mesh.root}, else the nearest ancestor of user.dir holding mvnw. */
    public static Path repositoryRoot() {
        String configured = System.getProperty("mesh.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no directory holding mvnw above " + start + "; set -Dmesh.root=<repository root>");
    }

    public String module() {
        return module;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The management port: {@code /q/health}, {@code /q/metrics}. */
    public int managementPort() {
        return managementPort;
    }

    /** {@code http://127.0.0.1:<management port>} */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** Its {@code /q/metrics} now, in Prometheus' text format. */
    public String metrics() {
        return TestHttp.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/q/metrics")).timeout(Duration.ofSeconds(10)).build()).body();
    }

    /** The sum of its metric samples whose line starts with {@code prefix} (name and "{") and holds every label. */
    public double metricSum(String prefix, String... labels) {
        double total = 0;
        for (String line : metrics().split("\n")) {
            if (line.startsWith(prefix) && Arrays.stream(labels).allMatch(line::contains)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    /** {@code 127.0.0.1:<port>}, as image references name the registry. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public Path logFile() {
        return logFile;
    }

    /** The whole log so far. */
    public String log() {
        return ChildProcess.read(logFile);
    }

    /** The effective MESH_DATA_DIR of the service. */
    public Path dataDir() {
        return dataDir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then SIGKILL after 10 s; removes the temp directory the launcher made. Idempotent. */
    public void stop() {
        ChildProcess.stop(process, STOP_GRACE);
        ChildProcess.deleteTree(workDir);
    }

    /** SIGKILL, as a crash would (fault tests); files stay until {@link #stop()} or {@link #close()}. */
    public void kill() {
        ChildProcess.kill(process);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return module + "@" + url();
    }
}
