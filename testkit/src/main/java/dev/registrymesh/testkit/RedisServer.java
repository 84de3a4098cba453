package dev.registrymesh.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real {@code redis-server} on 127.0.0.1 and a free port (never 6379), with its own temp directory
 * and no persistence, for tests of the Redis adapters; {@link #startPersistent()} keeps an append-only file
 * in that directory instead, so that {@link #restart()} (a stop and a start on the same port) loses nothing,
 * as a production Redis holding index-service's records would.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final int port;
    private final boolean persistent;
    private volatile Process process;
    private final Path dir;
    private final Path logFile;

    private RedisServer(int port, boolean persistent, Process process, Path dir, Path logFile) {
        this.port = port;
        this.persistent = persistent;
        this.process = process;
        this.dir = dir;
        this.logFile = logFile;
    }

    public static RedisServer start() {
        return start(false);
    }

    /** With an append-only file (fsync every second; a clean stop writes everything), for {@link #restart()}. */
    public static RedisServer startPersistent() {
        return start(true);
    }

    private static RedisServer start(boolean persistent) {
        for (int attempt = 1; ; attempt++) {
            try {
                return launch(FreePort.find(), persistent);
            } catch (ChildProcess.ProcessFailedException e) {
                if (attempt >= 3 || !e.portInUse()) {
                    throw e;
                }
            }
        }
    }

    private static RedisServer launch(int port, boolean persistent) {
        Path dir = ChildProcess.tempDir("mesh-redis-");
        Path log = ChildProcess.newLogFile("redis-" + port);
        RedisServer server = new RedisServer(port, persistent, null, dir, log);
        try {
            server.process = server.spawn();
            ChildProcess.awaitReady("redis-server on port " + port, server.process, log, READY_TIMEOUT, server::ping);
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
        return server;
    }

    private Process spawn() {
        List<String> command = List.of("redis-server",
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", persistent ? "yes" : "no",
                "--dir", dir.toString());
        return ChildProcess.start(command, Map.of(), dir, logFile);
    }

    /**
     * Stops the server (SIGTERM: with persistence it writes its append-only file first) and starts it again on
     * the same port and directory; returns when it answers PING. Clients see their connections closed and, for
     * the moment in between, refused.
     */
    public void restart() {
        restart(Duration.ZERO);
    }

    /** {@link #restart()} with {@code down} of downtime between the stop and the start. */
    public void restart(Duration down) {
        ChildProcess.stop(process, Duration.ofSeconds(10));
        try {
            Thread.sleep(down.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = spawn();
        ChildProcess.awaitReady("redis-server on port " + port + " (restarted)", process, logFile, READY_TIMEOUT, this::ping);
    }

    /** Sends an inline PING; true on +PONG. */
    public boolean ping() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return "+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>} */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public Path logFile() {
        return logFile;
    }

    /** SIGTERM (Redis exits at once with persistence off), then SIGKILL; removes its directory. Idempotent. */
    public void stop() {
        ChildProcess.stop(process, Duration.ofSeconds(10));
        ChildProcess.deleteTree(dir);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return url();
    }
}
