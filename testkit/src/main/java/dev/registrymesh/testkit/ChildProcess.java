package dev.registrymesh.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The plumbing shared by the launchers: start a program with its output in a log file, wait until it
 * answers, stop it, and make sure no child outlives the test JVM (a shutdown hook kills leftovers).
 */
final class ChildProcess {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger LOG_COUNTER = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "testkit-reaper"));
    }

    private ChildProcess() {
    }

    /** Starts {@code command} with the inherited environment plus {@code env}, output appended to {@code log}. */
    static Process start(List<String> command, Map<String, String> env, Path workDir, Path log) {
        Map<String, String> full = new java.util.HashMap<>(System.getenv());
        full.putAll(env);
        return startExactEnv(command, full, workDir, log);
    }

    /** Starts {@code command} with exactly {@code env}, stdout and stderr appended to {@code log}. */
    static Process startExactEnv(List<String> command, Map<String, String> env, Path workDir, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            LIVE.add(process);
            process.onExit().thenRun(() -> LIVE.remove(process));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
    }

    /** SIGTERM, then SIGKILL when the process is still there after {@code grace}. */
    static void stop(Process process, Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
        }
    }

    static void kill(Process process) {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Polls {@code ready} every 100 ms. Fails at once when the process exits, and after {@code timeout}
     * otherwise; the message carries the end of the log so that a failing test explains itself.
     */
    static void awaitReady(String what, Process process, Path log, Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (ready.getAsBoolean()) {
                return;
            }
            if (!process.isAlive()) {
                throw new ProcessFailedException(what + " exited with code " + process.exitValue()
                        + " before it was ready; log " + log + ":\n" + tail(log, 4000));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " not ready after " + timeout.toSeconds() + " s; log "
                        + log + ":\n" + tail(log, 4000));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    /** The HTTP status of a GET, or -1 when nothing answers. */
    static int httpStatus(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The whole log as text (invalid UTF-8 replaced), or "" when it does not exist. */
    static String read(Path log) {
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(Path log, int maxChars) {
        String text = read(log);
        return text.length() <= maxChars ? text : "..." + text.substring(text.length() - maxChars);
    }

    /**
     * Where logs go: {@code target/testkit-logs} of the module under test when there is one (Maven keeps
     * it after the run, CI can archive it), else a temp directory.
     */
    static Path newLogFile(String name) {
        try {
            Path target = Path.of(System.getProperty("user.dir"), "target");
            Path dir = Files.isDirectory(target)
                    ? target.resolve("testkit-logs")
                    : Path.of(System.getProperty("java.io.tmpdir"), "mesh-testkit-logs");
            Files.createDirectories(dir);
            return dir.resolve(name + "-" + ProcessHandle.current().pid() + "-" + LOG_COUNTER.incrementAndGet() + ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a log directory", e);
        }
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp directory", e);
        }
    }

    /** Deletes a directory tree, best effort (a leftover temp file must not fail a test). */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** A program that died before it was ready; launchers on a random port retry once on this. */
    static final class ProcessFailedException extends IllegalStateException {
        ProcessFailedException(String message) {
            super(message);
        }

        /** True when the log says the port was taken (Quarkus, Go and Redis all say "in use"). */
        boolean portInUse() {
            return getMessage().toLowerCase(java.util.Locale.ROOT).contains("in use");
        }
    }
}
