package dev.registrymesh.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Docker engine (Debian's docker.io) of the test's own: its own data-root, exec-root, pidfile and unix
 * socket, the vfs storage driver, no iptables and no bridge, so it touches nothing of the machine's and needs
 * no network but loopback. Docker treats 127.0.0.0/8 registries as insecure (plain HTTP) by itself.
 * Needs root; {@link #available()} says whether it can run here.
 */
public final class DockerEngine implements AutoCloseable {
    public static final String DOCKERD = "/usr/sbin/dockerd";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path dir;
    private final Path socket;
    private final Path clientConfig;
    private final Path logFile;

    private DockerEngine(Process process, Path dir, Path logFile) {
        this.process = process;
        this.dir = dir;
        this.socket = dir.resolve("docker.sock");
        this.clientConfig = dir.resolve("client");
        this.logFile = logFile;
    }

    /** True when dockerd and the docker client are installed and we run as root. */
    public static boolean available() {
        return Files.isExecutable(Path.of(DOCKERD)) && Files.isExecutable(Path.of("/usr/bin/docker"))
                && "root".equals(System.getProperty("user.name"));
    }

    /**
     * Starts an engine; {@code registryMirrors} become its daemon-wide {@code registry-mirrors} (for pulls of
     * Docker Hub images through a mirror), may be empty.
     */
    public static DockerEngine start(List<String> registryMirrors) {
        // A short path: unix socket paths are limited to about 100 characters.
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "mesh-docker-");
            Files.createDirectories(dir.resolve("client"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder mirrors = new StringBuilder();
        for (String mirror : registryMirrors) {
            mirrors.append(mirrors.length() == 0 ? "" : ",").append('"').append(mirror).append('"');
        }
        String config = "{\"data-root\":\"" + dir.resolve("data") + "\",\"exec-root\":\"" + dir.resolve("exec")
                + "\",\"pidfile\":\"" + dir.resolve("docker.pid") + "\",\"hosts\":[\"unix://" + dir.resolve("docker.sock")
                + "\"],\"storage-driver\":\"vfs\",\"iptables\":false,\"ip6tables\":false,\"bridge\":\"none\""
                + ",\"registry-mirrors\":[" + mirrors + "]}";
        try {
            Files.writeString(dir.resolve("daemon.json"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = ChildProcess.newLogFile("dockerd");
        Process process = ChildProcess.start(List.of(DOCKERD, "--config-file", dir.resolve("daemon.json").toString()),
                Map.of(), dir, log);
        DockerEngine engine = new DockerEngine(process, dir, log);
        ChildProcess.awaitReady("dockerd", process, log, READY_TIMEOUT, () -> engine.docker("version").ok());
        return engine;
    }

    /** Runs {@code docker <args>} against this engine, with a private client configuration (logins). */
    public Skopeo.Result docker(String... args) {
        return dockerWithInput(null, args);
    }

    /** Like {@link #docker} with {@code input} on standard input (for {@code login --password-stdin}). */
    public Skopeo.Result dockerWithInput(String input, String... args) {
        List<String> command = new ArrayList<>(List.of("docker", "--config", clientConfig.toString(), "-H", "unix://" + socket));
        command.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(command).start();
            try (InputStream stdin = new ByteArrayInputStream(input == null ? new byte[0] : input.getBytes(StandardCharsets.UTF_8))) {
                stdin.transferTo(p.getOutputStream());
                p.getOutputStream().close();
            }
            var out = p.getInputStream().readAllBytes();
            var err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Skopeo.Result(-1, "", "docker timed out");
            }
            return new Skopeo.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code unix://<socket>}: DOCKER_HOST for other clients of this engine (docker-compose). */
    public String host() {
        return "unix://" + socket;
    }

    /** The docker client configuration directory of this engine's {@link #docker} calls (DOCKER_CONFIG). */
    public Path clientConfig() {
        return clientConfig;
    }

    public Path logFile() {
        return logFile;
    }

    /**
     * SIGTERM (dockerd stops its containerd too), then SIGKILL; unmounts what it left mounted under its directory
     * (the host network's namespace file, exec/netns/default, stays bind-mounted after dockerd ends) and removes its
     * files. Idempotent.
     */
    public void stop() {
        ChildProcess.stop(process, Duration.ofSeconds(20));
        unmountUnder(dir);
        ChildProcess.deleteTree(dir);
    }

    /** Unmounts every mount point under {@code dir}, deepest first; best effort. */
    private static void unmountUnder(Path dir) {
        List<String> points = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] fields = line.split(" ");
                // /proc/self/mounts escapes blanks as \040; our paths have none, and a mismatch is only skipped
                if (fields.length > 1 && fields[1].startsWith(dir + "/")) {
                    points.add(fields[1]);
                }
            }
        } catch (IOException e) {
            return;
        }
        points.sort(Comparator.comparing(String::length).reversed());
        for (String point : points) {
            Commands.run(Duration.ofSeconds(30), Map.of(), Path.of("/"), "umount", point);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
