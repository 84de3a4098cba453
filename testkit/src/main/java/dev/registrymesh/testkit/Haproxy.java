package dev.registrymesh.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real haproxy (Debian's {@code /usr/sbin/haproxy}) on 127.0.0.1 in front of service nodes: one frontend per
 * balanced service, each on its own port, round robin without stickiness, every node checked every 500 ms by a
 * connection to its port (down after 2 failures, up after 1 success: a service listens only once it has started,
 * and its readiness answers on a management port of its own). A connection refused by a
 * node is retried on another one ({@code retries 2}, {@code option redispatch}); a request already sent to a
 * node that dies is not (the client sees the error and retries, as registry clients do).
 *
 * <p>A frontend's port may be chosen before its nodes run ({@link Builder#frontend(String, int, List)}), so that
 * the nodes can be told the balancer's address at start; {@link Builder#start()} waits until every frontend
 * passes a request to a node that is up.
 */
public final class Haproxy implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/haproxy");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Map<String, Integer> ports;
    private final Path dir;
    private final Path logFile;

    private Haproxy(Process process, Map<String, Integer> ports, Path dir, Path logFile) {
        this.process = process;
        this.ports = ports;
        this.dir = dir;
        this.logFile = logFile;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One frontend named {@code nodes} on a free port, round robin over {@code nodePorts}. */
    public static Haproxy start(List<Integer> nodePorts) {
        return builder().frontend("nodes", FreePort.find(), nodePorts).start();
    }

    public static final class Builder {
        private final Map<String, Integer> ports = new LinkedHashMap<>();
        private final Map<String, List<Integer>> nodes = new LinkedHashMap<>();
        private Duration serverTimeout = Duration.ofMinutes(5);

        private Builder() {
        }

        /** A frontend {@code name} listening on 127.0.0.1:{@code port}, balancing over the nodes' ports. */
        public Builder frontend(String name, int port, List<Integer> nodePorts) {
            if (!name.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("frontend names are [a-z0-9-]+: " + name);
            }
            ports.put(name, port);
            nodes.put(name, List.copyOf(nodePorts));
            return this;
        }

        /** The port chosen for {@code frontend}, before haproxy runs. */
        public int port(String frontend) {
            Integer port = ports.get(frontend);
            if (port == null) {
                throw new IllegalArgumentException("no frontend " + frontend + " in " + ports.keySet());
            }
            return port;
        }

        /** How long haproxy waits for a node's answer (a 1 GiB blob takes a while); default 5 minutes. */
        public Builder serverTimeout(Duration timeout) {
            this.serverTimeout = timeout;
            return this;
        }

        public Haproxy start() {
            if (ports.isEmpty()) {
                throw new IllegalStateException("no frontend");
            }
            Path dir = ChildProcess.tempDir("mesh-haproxy-");
            Path file = dir.resolve("haproxy.cfg");
            StringBuilder config = new StringBuilder()
                    .append("global\n  maxconn 4000\n")
                    .append("defaults\n  mode http\n  timeout connect 2s\n  timeout client ").append(serverTimeout.toSeconds())
                    .append("s\n  timeout server ").append(serverTimeout.toSeconds()).append("s\n")
                    .append("  option redispatch\n  retries 2\n");
            for (String name : ports.keySet()) {
                config.append("frontend ").append(name).append("\n  bind 127.0.0.1:").append(ports.get(name))
                        .append("\n  default_backend ").append(name).append("-nodes\n")
                        .append("backend ").append(name).append("-nodes\n  balance roundrobin\n");
                List<Integer> backends = nodes.get(name);
                for (int i = 0; i < backends.size(); i++) {
                    config.append("  server n").append(i + 1).append(" 127.0.0.1:").append(backends.get(i))
                            .append(" check inter 500 fall 2 rise 1\n");
                }
            }
            try {
                Files.writeString(file, config);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path log = ChildProcess.newLogFile("haproxy");
            Process process = ChildProcess.start(List.of(BINARY.toString(), "-f", file.toString(), "-db"), Map.of(), dir, log);
            Haproxy haproxy = new Haproxy(process, Map.copyOf(ports), dir, log);
            try {
                for (String name : ports.keySet()) {
                    // 503 is haproxy's own "no server up"; any other answer came from a node.
                    ChildProcess.awaitReady("haproxy frontend " + name, process, log, READY_TIMEOUT, () -> {
                        int status = ChildProcess.httpStatus(haproxy.url(name) + "/");
                        return status > 0 && status != 503;
                    });
                }
            } catch (RuntimeException e) {
                haproxy.close();
                throw e;
            }
            return haproxy;
        }
    }

    /** The port of the only frontend, or of the first one. */
    public int port() {
        return ports.values().iterator().next();
    }

    public int port(String frontend) {
        Integer port = ports.get(frontend);
        if (port == null) {
            throw new IllegalArgumentException("no frontend " + frontend + " in " + ports.keySet());
        }
        return port;
    }

    /** {@code http://127.0.0.1:<port>} of the first frontend. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public String url(String frontend) {
        return "http://127.0.0.1:" + port(frontend);
    }

    /** {@code 127.0.0.1:<port>} of the first frontend, as image references name a registry. */
    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    public String hostPort(String frontend) {
        return "127.0.0.1:" + port(frontend);
    }

    public Path logFile() {
        return logFile;
    }

    public List<String> frontends() {
        return new ArrayList<>(ports.keySet());
    }

    /** SIGTERM, then SIGKILL after 5 s; removes its configuration. Idempotent. */
    public void stop() {
        ChildProcess.stop(process, Duration.ofSeconds(5));
        ChildProcess.deleteTree(dir);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "haproxy" + ports;
    }
}
