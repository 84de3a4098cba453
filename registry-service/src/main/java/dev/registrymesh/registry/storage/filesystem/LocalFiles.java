package dev.registrymesh.registry.storage.filesystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Best-effort cleanup on a node's own disk, for the janitors of uploads and temp files: a failure is logged and the
 * entry left for the next round, never thrown.
 */
public final class LocalFiles {
    private static final Logger LOG = Logger.getLogger(LocalFiles.class);

    private LocalFiles() {
    }

    /** The entries of {@code dir}; none when it is missing or cannot be listed. */
    public static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        } catch (IOException e) {
            LOG.warnf(e, "cannot list %s", dir);
            return List.of();
        }
    }

    /** When {@code file} last changed; now when it is gone or unreadable, so that it waits for the next round. */
    public static Instant lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.now();
        }
    }

    /** Deletes {@code root} and everything under it, if it exists. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warnf(e, "cannot remove %s", root);
        }
    }
}
