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
 * Runs the {@code skopeo} CLI against our loopback registries. Every run uses a private configuration made
 * once per JVM (registries.conf, an empty auth file, an accept-anything signature policy), so the user's
 * or machine's container configuration is never read; TLS verification is off for {@code docker://}
 * references because test registries speak plain HTTP on 127.0.0.1. Arguments passed by the caller come
 * after ours, so a caller's {@code --authfile} or {@code --creds} wins.
 */
public final class Skopeo {

    private static final long TIMEOUT_MINUTES = 5;
    private static volatile Boolean available;
    private static volatile Path configDir;

    private Skopeo() {
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** This result when the command succeeded, else an AssertionError naming {@code what} and showing its output. */
        public Result orFailWith(String what) {
            if (!ok()) {
                throw new AssertionError(what + " failed with exit code " + exitCode + ":\n" + stderr + stdout);
            }
            return this;
        }

        /** This result when the command succeeded, else an AssertionError showing stderr. */
        public Result orFail() {
            if (!ok()) {
                throw new AssertionError("skopeo failed with exit code " + exitCode + ":\n" + stderr + stdout);
            }
            return this;
        }
    }

    /** Runs {@code skopeo <args>} with the private configuration and nothing else added. */
    public static Result run(String... args) {
        Path config = configDir();
        List<String> command = new ArrayList<>();
        command.add("skopeo");
        command.add("--policy");
        command.add(config.resolve("policy.json").toString());
        command.add("--registries.d");
        command.add(config.resolve("registries.d").toString());
        command.addAll(Arrays.asList(args));
        return exec(command, config);
    }

    /** {@code skopeo copy}; add {@code "--all"} to copy every image of an index. */
    public static Result copy(String src, String dest, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("copy", "--authfile", authFile()));
        if (isDocker(src)) {
            args.add("--src-tls-verify=false");
        }
        if (isDocker(dest)) {
            args.add("--dest-tls-verify=false");
        }
        args.addAll(Arrays.asList(extraArgs));
        args.add(src);
        args.add(dest);
        return run(args.toArray(String[]::new));
    }

    /** {@code skopeo inspect}; pass {@code "--raw"} for the manifest bytes as stored. */
    public static Result inspect(String ref, String... extraArgs) {
        return refCommand("inspect", ref, extraArgs);
    }

    public static Result listTags(String ref, String... extraArgs) {
        return refCommand("list-tags", ref, extraArgs);
    }

    public static Result delete(String ref, String... extraArgs) {
        return refCommand("delete", ref, extraArgs);
    }

    /** True when {@code skopeo --version} runs. */
    public static boolean available() {
        Boolean known = available;
        if (known == null) {
            try {
                Process process = new ProcessBuilder("skopeo", "--version").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                known = process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
            } catch (IOException e) {
                known = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                known = false;
            }
            available = known;
        }
        return known;
    }

    private static Result refCommand(String command, String ref, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(command, "--authfile", authFile()));
        if (isDocker(ref)) {
            args.add("--tls-verify=false");
        }
        args.addAll(Arrays.asList(extraArgs));
        args.add(ref);
        return run(args.toArray(String[]::new));
    }

    private static boolean isDocker(String ref) {
        return ref.startsWith("docker://");
    }

    private static String authFile() {
        return configDir().resolve("auth.json").toString();
    }

    private static Result exec(List<String> command, Path config) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile(config, "stdout-", ".txt");
            err = Files.createTempFile(config, "stderr-", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Map<String, String> env = builder.environment();
            env.put("CONTAINERS_REGISTRIES_CONF", config.resolve("registries.conf").toString());
            env.put("REGISTRY_AUTH_FILE", authFile());
            env.remove("DOCKER_CONFIG");
            Process process = builder.start();
            boolean done;
            try {
                done = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done = false;
            }
            if (!done) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, ChildProcess.read(out),
                        ChildProcess.read(err) + "\n[testkit] skopeo timed out after " + TIMEOUT_MINUTES + " minutes: " + command);
            }
            return new Result(process.exitValue(), ChildProcess.read(out), ChildProcess.read(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run skopeo", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** The private configuration, made once per JVM and removed when it exits. */
    private static Path configDir() {
        Path dir = configDir;
        if (dir == null) {
            synchronized (Skopeo.class) {
                dir = configDir;
                if (dir == null) {
                    dir = ChildProcess.tempDir("mesh-skopeo-");
                    try {
                        Files.createDirectories(dir.resolve("registries.d"));
                        Files.writeString(dir.resolve("registries.conf"), "unqualified-search-registries = []\n");
                        Files.writeString(dir.resolve("policy.json"),
                                "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}\n");
                        Files.writeString(dir.resolve("auth.json"), "{\"auths\":{}}\n");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    Path created = dir;
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> ChildProcess.deleteTree(created), "testkit-skopeo-cleanup"));
                    configDir = dir;
                }
            }
        }
        return dir;
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
