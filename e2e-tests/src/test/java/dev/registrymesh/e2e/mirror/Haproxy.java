package dev.registrymesh.e2e.mirror;

import dev.registrymesh.testkit.FreePort;
import dev.registrymesh.testkit.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real haproxy (Debian's /usr/sbin/haproxy) balancing over mirror nodes, config in a temp dir. */
final class Haproxy implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/haproxy");

    private final Process process;
    private final int port;

    private Haproxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Round robin over {@code nodes}, each health-checked on its management port's readiness every 500 ms. */
    static Haproxy start(List<ServiceProcess> nodes, Path dir) throws IOException, InterruptedException {
        int port = FreePort.find();
        StringBuilder config = new StringBuilder()
                .append("global\n  maxconn 2000\n")
                .append("defaults\n  mode http\n  timeout connect 2s\n  timeout client 120s\n  timeout server 120s\n")
                .append("  option redispatch\n  retries 2\n")
                .append("frontend mirror\n  bind 127.0.0.1:").append(port).append("\n  default_backend nodes\n")
                .append("backend nodes\n  balance roundrobin\n  option httpchk GET /q/health/ready\n");
        for (int i = 0; i < nodes.size(); i++) {
            config.append("  server n").append(i + 1).append(" 127.0.0.1:").append(nodes.get(i).port())
                    .append(" check port ").append(nodes.get(i).managementPort()).append(" inter 500 fall 2 rise 1\n");
        }
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        Process process = new ProcessBuilder(BINARY.toString(), "-f", file.toString(), "-db")
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        Haproxy haproxy = new Haproxy(process, port);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(haproxy.url() + "/v2/")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return haproxy;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("haproxy exited: " + Files.readString(dir.resolve("haproxy.log")));
            }
            Thread.sleep(200);
        }
        haproxy.close();
        throw new IllegalStateException("haproxy did not come up on port " + port);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
