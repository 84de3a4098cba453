package dev.registrymesh.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A server a test runs as a child process on 127.0.0.1 and a free port, with a temp directory and a log of its
 * own: what {@link RedisServer}, {@link S3ProxyServer} and {@link DistributionRegistry} share.
 */
public abstract class LocalServer implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 3;

    private final int port;
    private final Path dir;
    private final Path logFile;
    private volatile Process process;

    protected LocalServer(int port, Path dir, Path logFile) {
        this.port = port;
        this.dir = dir;
        this.logFile = logFile;
    }

    /** {@code launch} on a free port; again on another when that one was taken in between (three times at most). */
    protected static <S extends LocalServer> S onFreePort(IntFunction<S> launch) {
        for (int attempt = 1; ; attempt++) {
            try {
                return launch.apply(FreePort.find());
            } catch (ChildProcess.ProcessFailedException e) {
                if (attempt >= PORT_ATTEMPTS || !e.portInUse()) {
                    throw e;
                }
            }
        }
    }

    /** {@code server} once {@code start} has it answering; if it cannot, stopped and its directory removed. */
    protected static <S extends LocalServer> S started(S server, Consumer<S> start) {
        try {
            start.accept(server);
            return server;
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
    }

    /** Starts {@code command} with exactly {@code env} in the server's directory and waits until {@code ready}. */
    protected final void startProcess(String what, List<String> command, Map<String, String> env, Duration timeout,
            BooleanSupplier ready) {
        process = ChildProcess.startExactEnv(command, env, dir, logFile);
        ChildProcess.awaitReady(what, process, logFile, timeout, ready);
    }

    protected final Process process() {
        return process;
    }

    protected final Path dir() {
        return dir;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    /** SIGTERM, then SIGKILL after 10 s; removes its directory. Idempotent. */
    public void stop() {
        ChildProcess.stop(process, STOP_GRACE);
        ChildProcess.deleteTree(dir);
    }

    @Override
    public void close() {
        stop();
    }
}
