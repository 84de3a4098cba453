package dev.registrymesh.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code podman} CLI as root with a configuration and storage of the test's own, all in one temp
 * directory: image store and run root (vfs driver, so no overlay mounts are left behind), libpod's state and file
 * locks, containers.conf (cgroupfs, no event log), registries.conf (rewritten by {@link #registries}), an
 * accept-anything signature policy and an auth file. Nothing of the machine's container setup is read or
 * changed. Podman has no daemon: each call is one process. Needs root; {@link #available()} says whether it can
 * run here.
 */
public final class Podman implements AutoCloseable {
    public static final String PODMAN = "/usr/bin/podman";
    private static final long TIMEOUT_SECONDS = 120;

    private final Path dir;

    private Podman(Path dir) {
        this.dir = dir;
    }

    /** True when podman is installed and we run as root. */
    public static boolean available() {
        return Files.isExecutable(Path.of(PODMAN)) && "root".equals(System.getProperty("user.name"));
    }

    /** A fresh, empty podman setup; no registries configured. */
    public static Podman create() {
        Path dir = ChildProcess.tempDir("mesh-podman-");
        try {
            Files.writeString(dir.resolve("containers.conf"), """
                    [network]
                    network_config_dir = "%1$s/cni"

                    [engine]
                    cgroup_manager = "cgroupfs"
                    events_logger = "none"
                    lock_type = "file"
                    static_dir = "%1$s/root/libpod"
                    tmp_dir = "%1$s/tmp"
                    volume_path = "%1$s/root/volumes"
                    """.formatted(dir));
            Files.writeString(dir.resolve("storage.conf"), """
                    [storage]
                    driver = "vfs"
                    graphroot = "%1$s/root"
                    runroot = "%1$s/runroot"
                    """.formatted(dir));
            Files.writeString(dir.resolve("policy.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}\n");
            Files.writeString(dir.resolve("auth.json"), "{\"auths\":{}}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Podman podman = new Podman(dir);
        podman.registries("");
        return podman;
    }

    /**
     * Replaces registries.conf with {@code toml} after a line that turns short names off (every test names its
     * registry), e.g. {@code [[registry]]} tables with {@code [[registry.mirror]]} entries.
     */
    public Podman registries(String toml) {
        try {
            Files.writeString(dir.resolve("registries.conf"),
                    "unqualified-search-registries = []\nshort-name-mode = \"disabled\"\n\n" + toml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Runs {@code podman <global options> <args>}. The global options repeat what the config files say, so that
     * storage and engine settings cannot come from anywhere else.
     */
    public Skopeo.Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(PODMAN,
                "--root", dir.resolve("root").toString(),
                "--runroot", dir.resolve("runroot").toString(),
                "--storage-driver", "vfs",
                "--cgroup-manager", "cgroupfs",
                "--events-backend", "none",
                "--tmpdir", dir.resolve("tmp").toString()));
        command.addAll(Arrays.asList(args));
        Path out;
        Path err;
        try {
            out = Files.createTempFile(dir, "stdout-", ".txt");
            err = Files.createTempFile(dir, "stderr-", ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
        env.put("CONTAINERS_STORAGE_CONF", dir.resolve("storage.conf").toString());
        env.put("CONTAINERS_REGISTRIES_CONF", dir.resolve("registries.conf").toString());
        env.put("REGISTRY_AUTH_FILE", dir.resolve("auth.json").toString());
        env.remove("DOCKER_CONFIG");
        env.remove("CONTAINER_HOST");
        env.remove("CONTAINER_CONNECTION");
        try {
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Skopeo.Result(-1, ChildProcess.read(out),
                        ChildProcess.read(err) + "\n[testkit] podman timed out after " + TIMEOUT_SECONDS + " s: " + command);
            }
            return new Skopeo.Result(process.exitValue(), ChildProcess.read(out), ChildProcess.read(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run podman", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            out.toFile().delete();
            err.toFile().delete();
        }
    }

    /** {@code --signature-policy} for pull, push and load: the accept-anything policy of this setup. */
    public String signaturePolicy() {
        return "--signature-policy=" + dir.resolve("policy.json");
    }

    public Path dir() {
        return dir;
    }

    /** Removes the whole setup (images, state, config). Idempotent. */
    public void stop() {
        ChildProcess.deleteTree(dir);
    }

    @Override
    public void close() {
        stop();
    }
}
