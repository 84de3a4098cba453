package dev.registrymesh.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real containerd (Debian's containerd) of the test's own: root, state, temp and plugin dirs and its gRPC and
 * ttrpc sockets all in one temp directory, the CRI plugin off (it is slow to start and not needed to pull), so it
 * touches nothing of the machine's. {@link #ctr} runs the {@code ctr} client against it. Needs root;
 * {@link #available()} says whether it can run here.
 */
public final class Containerd implements AutoCloseable {
    public static final String CONTAINERD = "/usr/bin/containerd";
    public static final String CTR = "/usr/bin/ctr";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CTR_TIMEOUT = Duration.ofMinutes(2);

    private final Process process;
    private final Path dir;
    private final Path socket;
    private final Path logFile;

    private Containerd(Process process, Path dir, Path logFile) {
        this.process = process;
        this.dir = dir;
        this.socket = dir.resolve("containerd.sock");
        this.logFile = logFile;
    }

    /** True when containerd and ctr are installed and we run as root. */
    public static boolean available() {
        return Files.isExecutable(Path.of(CONTAINERD)) && Files.isExecutable(Path.of(CTR))
                && "root".equals(System.getProperty("user.name"));
    }

    public static Containerd start() {
        // A short path: unix socket paths are limited to about 100 characters.
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "mesh-containerd-");
            Files.writeString(dir.resolve("config.toml"), config(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = ChildProcess.newLogFile("containerd");
        Process process = ChildProcess.start(List.of(CONTAINERD, "--config", dir.resolve("config.toml").toString()),
                Map.of(), dir, log);
        Containerd containerd = new Containerd(process, dir, log);
        try {
            ChildProcess.awaitReady("containerd", process, log, READY_TIMEOUT,
                    () -> Files.exists(containerd.socket) && containerd.ctr("version").ok());
        } catch (RuntimeException e) {
            containerd.stop();
            throw e;
        }
        return containerd;
    }

    /**
     * Config version 2. Every path containerd would otherwise take from the machine is set here: the opt plugin
     * defaults to /opt/containerd, the sockets to /run/containerd; debug and metrics listeners stay off.
     */
    private static String config(Path dir) {
        return """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                temp = "%1$s/tmp"
                disabled_plugins = ["io.containerd.grpc.v1.cri"]

                [grpc]
                  address = "%1$s/containerd.sock"

                [ttrpc]
                  address = "%1$s/containerd.sock.ttrpc"

                [debug]
                  address = ""

                [metrics]
                  address = ""

                [plugins]
                  [plugins."io.containerd.internal.v1.opt"]
                    path = "%1$s/opt"
                """.formatted(dir);
    }

    /** Runs {@code ctr --address <socket> <args>}; stdout and stderr are read concurrently (a dump may be long). */
    public Skopeo.Result ctr(String... args) {
        List<String> command = new ArrayList<>(List.of(CTR, "--address", socket.toString()));
        command.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(CTR_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Skopeo.Result(-1, "", "ctr timed out");
            }
            return new Skopeo.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The gRPC socket, as {@code ctr --address} takes it. */
    public Path address() {
        return socket;
    }

    public Path logFile() {
        return logFile;
    }

    /** The daemon's log so far. */
    public String log() {
        return ChildProcess.read(logFile);
    }

    /** SIGTERM, then SIGKILL; removes its files. Idempotent. */
    public void stop() {
        ChildProcess.stop(process, Duration.ofSeconds(10));
        ChildProcess.deleteTree(dir);
    }

    @Override
    public void close() {
        stop();
    }
}
