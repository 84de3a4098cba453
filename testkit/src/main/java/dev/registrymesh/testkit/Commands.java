package dev.registrymesh.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end with a timeout; output goes through temp files (no pipe can fill up and block). */
public final class Commands {
    private Commands() {
    }

    public static Skopeo.Result run(Duration timeout, Map<String, String> env, Path dir, String... command) {
        return run(timeout, env, dir, Arrays.asList(command));
    }

    public static Skopeo.Result run(Duration timeout, Map<String, String> env, Path dir, List<String> command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("mesh-cmd-", ".out");
            err = Files.createTempFile("mesh-cmd-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (dir != null) {
                builder.directory(dir.toFile());
            }
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return new Skopeo.Result(-1, Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8) + "\n" + String.join(" ", command) + ": timed out after " + timeout);
            }
            return new Skopeo.Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            for (Path file : new Path[] {out, err}) {
                if (file != null) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // a temp file
                    }
                }
            }
        }
    }

    /** The status of GET {@code url}, or 0 when nothing answers. */
    public static int httpStatus(String url) {
        return ChildProcess.httpStatus(url);
    }

    /** True when {@code path} is an executable file. */
    public static boolean installed(String path) {
        return Files.isExecutable(Path.of(path));
    }
}
