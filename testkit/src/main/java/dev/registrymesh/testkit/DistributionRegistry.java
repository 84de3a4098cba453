package dev.registrymesh.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CNCF Distribution (Debian package docker-registry, {@code /usr/bin/docker-registry}) on 127.0.0.1 and a
 * free port, filesystem storage in a temp directory, deletes enabled; optionally with token auth or as a
 * pull-through cache. The reference implementation our registry and mirror are compared against.
 */
public final class DistributionRegistry extends LocalServer {

    public static final String BINARY = "/usr/bin/docker-registry";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private DistributionRegistry(int port, Path dir, Path logFile) {
        super(port, dir, logFile);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when the binary is installed. */
    public static boolean available() {
        return Files.isExecutable(Path.of(BINARY));
    }

    public static final class Builder {
        private String realm;
        private String service;
        private String issuer;
        private Path rootCertBundle;
        private String proxyRemoteUrl;

        private Builder() {
        }

        /** Demand Bearer tokens from {@code realm}, signed by a key whose certificate is in {@code rootCertBundle} (PEM). */
        public Builder tokenAuth(String realm, String service, String issuer, Path rootCertBundle) {
            this.realm = realm;
            this.service = service;
            this.issuer = issuer;
            this.rootCertBundle = rootCertBundle;
            return this;
        }

        /** Run as a pull-through cache of {@code remoteUrl} (for comparisons with mirror-service). */
        public Builder proxy(String remoteUrl) {
            this.proxyRemoteUrl = remoteUrl;
            return this;
        }

        public DistributionRegistry start() {
            return onFreePort(this::launch);
        }

        private DistributionRegistry launch(int port) {
            Path dir = ChildProcess.tempDir("mesh-distribution-");
            Path config = dir.resolve("config.yml");
            try {
                Files.createDirectories(dir.resolve("storage"));
                Files.writeString(config, configYaml(port, dir.resolve("storage")));
            } catch (IOException e) {
                ChildProcess.deleteTree(dir);
                throw new UncheckedIOException(e);
            }
            // The registry reads REGISTRY_* variables as config overrides: the test's environment must not leak in.
            Map<String, String> env = new LinkedHashMap<>(System.getenv());
            env.keySet().removeIf(key -> key.startsWith("REGISTRY_") || key.startsWith("OTEL_"));
            return started(new DistributionRegistry(port, dir, ChildProcess.newLogFile("distribution-" + port)),
                    registry -> registry.startProcess("docker-registry on port " + port, List.of(BINARY, "serve", config.toString()), env,
                            READY_TIMEOUT, () -> {
                                int status = ChildProcess.httpStatus(registry.url() + "/v2/");
                                return status == 200 || status == 401;
                            }));
        }

        private String configYaml(int port, Path storage) {
            StringBuilder yaml = new StringBuilder()
                    .append("version: 0.1\n")
                    .append("log:\n  level: info\n  accesslog:\n    disabled: true\n")
                    .append("storage:\n")
                    .append("  filesystem:\n    rootdirectory: ").append(quote(storage.toString())).append('\n')
                    .append("  delete:\n    enabled: true\n")
                    .append("  maintenance:\n    uploadpurging:\n      enabled: false\n")
                    .append("http:\n  addr: 127.0.0.1:").append(port).append('\n')
                    .append("  secret: ").append(quote(java.util.UUID.randomUUID().toString())).append('\n')
                    .append("  headers:\n    X-Content-Type-Options: [nosniff]\n");
            if (realm != null) {
                yaml.append("auth:\n  token:\n")
                        .append("    realm: ").append(quote(realm)).append('\n')
                        .append("    service: ").append(quote(service)).append('\n')
                        .append("    issuer: ").append(quote(issuer)).append('\n')
                        .append("    rootcertbundle: ").append(quote(rootCertBundle.toAbsolutePath().toString())).append('\n');
            }
            if (proxyRemoteUrl != null) {
                yaml.append("proxy:\n  remoteurl: ").append(quote(proxyRemoteUrl)).append('\n');
            }
            return yaml.toString();
        }

        /** A YAML double-quoted scalar. */
        private static String quote(String value) {
            return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** {@code 127.0.0.1:<port>}, as image references name the registry. */
    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    @Override
    public String toString() {
        return "distribution@" + url();
    }
}
