package dev.registrymesh.index.store;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real redis-server on a free loopback port with no persistence, for tests that need the Redis adapter.
 * (testkit's RedisServer will replace this once it lands.)
 */
public class RedisTestServer implements QuarkusTestResourceLifecycleManager {
    public static final String INTERNAL_TOKEN = "internal-test-token";
    private Process process;

    @Override
    public Map<String, String> start() {
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path dir = Files.createTempDirectory("index-redis");
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (true) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException notYet) {
                    if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                        throw new IllegalStateException("redis-server did not start; see " + dir.resolve("redis.log"));
                    }
                    Thread.sleep(50);
                }
            }
            String url = "redis://127.0.0.1:" + port;
            return Map.of("mesh.redis-url", url, "quarkus.redis.hosts", url, "mesh.internal-token", INTERNAL_TOKEN);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server (is it installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
        }
    }
}
