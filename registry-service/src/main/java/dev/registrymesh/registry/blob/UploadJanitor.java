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
 * than the time-to-live. Clients that vanish mid-push would otherwise fill the disk. At start it also removes
 * what a crash ({@code kill -9}) left: temp files only ever belong to a request in flight, so none from before
 * this process started has an owner. Sessions stay until their time-to-live: a client may still resume them.
 */
public class UploadJanitor {
    private static final Logger LOG = Logger.getLogger(UploadJanitor.class);
    private final StorageLayout layout;
    private final Duration timeToLive;

    public UploadJanitor(StorageLayout layout, Duration timeToLive) {
        this.layout = layout;
        this.timeToLive = timeToLive;
    }

    /** What {@link #removeOrphans} removed. */
    public record Orphans(int tempFiles, int unfinishedSessions) {
    }

    /**
     * Deletes what no live request or session can own, from before {@code processStart}: every temp file, and
     * upload directories missing their session or data file (a crash inside start or cancel: no request can use
     * them).
     * Newer entries belong to requests of this process and stay. Blocking.
     */
    public Orphans removeOrphans(Instant processStart) {
        int temps = 0;
        for (Path temp : children(layout.tmp())) {
            if (lastModified(temp, temp).isBefore(processStart)) {
                deleteTree(temp);
                temps++;
            }
        }
        int broken = 0;
        for (Path entry : children(layout.uploads())) {
            boolean unfinished = !Files.exists(entry.resolve("session")) || !Files.exists(entry.resolve("data"));
            if (unfinished && lastModified(entry, entry).isBefore(processStart)) {
                deleteTree(entry);
                broken++;
            }
        }
        LOG.infof("start-up cleanup: removed %d temp file(s) and %d unfinished upload session(s) left by an earlier run",
                temps, broken);
        return new Orphans(temps, broken);
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
