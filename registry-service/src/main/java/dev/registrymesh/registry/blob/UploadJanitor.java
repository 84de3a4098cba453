package dev.registrymesh.registry.blob;

import dev.registrymesh.registry.storage.StorageLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Removes what abandoned uploads leave behind: session directories and temp files untouched for longer
 * than the time-to-live. Clients that vanish mid-push would otherwise fill the disk.
 */
public class UploadJanitor {
    private static final Logger LOG = Logger.getLogger(UploadJanitor.class);
    private final StorageLayout layout;
    private final Duration timeToLive;

    public UploadJanitor(StorageLayout layout, Duration timeToLive) {
        this.layout = layout;
        this.timeToLive = timeToLive;
    }

    /** Deletes stale sessions and temp files; returns how many entries went. Blocking. */
    public int purge() {
        Instant cutoff = Instant.now().minus(timeToLive);
        int removed = 0;
        for (Path entry : children(layout.uploads())) {
            if (lastModified(entry.resolve("data"), entry).isBefore(cutoff)) {
                deleteTree(entry);
                removed++;
            }
        }
        for (Path temp : children(layout.tmp())) {
            if (lastModified(temp, temp).isBefore(cutoff)) {
                deleteTree(temp);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.infof("removed %d abandoned upload(s) older than %s", removed, timeToLive);
        }
        return removed;
    }

    private static List<Path> children(Path dir) {
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

    private static Instant lastModified(Path file, Path fallback) {
        try {
            FileTime time = Files.getLastModifiedTime(Files.exists(file) ? file : fallback);
            return time.toInstant();
        } catch (IOException e) {
            return Instant.now(); // gone or unreadable: leave it for the next round
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warnf(e, "cannot remove %s", root);
        }
    }
}
