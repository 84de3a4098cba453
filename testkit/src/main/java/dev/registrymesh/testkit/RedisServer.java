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

/**
 * A real {@code redis-server} on 127.0.0.1 and a free port (never 6379), with its own temp directory
 * and no persistence, for tests of the Redis adapters; {@link #startPersistent()} keeps an append-only file
 * in that directory instead, so that {@link #restart()} (a stop and a start on the same port) loses nothing,
 * as a production Redis holding index-service's records would.
 */
public final class RedisServer extends LocalServer {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final boolean persistent;

    private RedisServer(int port, boolean persistent, Path dir, Path logFile) {
        super(port, dir, logFile);
        this.persistent = persistent;
    }

    public static RedisServer start() {
        return start(false);
    }

    /** With an append-only file (fsync every second; a clean stop writes everything), for {@link #restart()}. */
    public static RedisServer startPersistent() {
        return start(true);
    }

    private static RedisServer start(boolean persistent) {
        return onFreePort(port -> started(new RedisServer(port, persistent, ChildProcess.tempDir("mesh-redis-"),
                ChildProcess.newLogFile("redis-" + port)), server -> server.spawn("redis-server on port " + port)));
    }

    private void spawn(String what) {
        List<String> command = List.of("redis-server",
                "--port", Integer.toString(port()),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", persistent ? "yes" : "no",
                "--dir", dir().toString());
        startProcess(what, command, System.getenv(), READY_TIMEOUT, this::ping);
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
        ChildProcess.stop(process(), Duration.ofSeconds(10));
        try {
            Thread.sleep(down.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        spawn("redis-server on port " + port() + " (restarted)");
    }

    /** Sends an inline PING; true on +PONG. */
    public boolean ping() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port())) {
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

    /** {@code redis://127.0.0.1:<port>} */
    public String url() {
        return "redis://127.0.0.1:" + port();
    }

    @Override
    public String toString() {
        return url();
    }
}
