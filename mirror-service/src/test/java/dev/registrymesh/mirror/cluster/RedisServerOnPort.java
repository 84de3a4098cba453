package dev.registrymesh.mirror.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A redis-server on a given port (testkit's RedisServer picks its own): to restart Redis where it was. */
final class RedisServerOnPort {
    private final Process process;

    private RedisServerOnPort(Process process) {
        this.process = process;
    }

    static RedisServerOnPort start(int port) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("mirror-redis-");
        Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (ping(port)) {
                return new RedisServerOnPort(process);
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    private static boolean ping(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[7];
            int n = in.read(buffer);
            return n > 0 && new String(buffer, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
