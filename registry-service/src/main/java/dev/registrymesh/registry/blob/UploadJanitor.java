package dev.registrymesh.registry.blob;

import static dev.registrymesh.registry.storage.filesystem.LocalFiles.children;
import static dev.registrymesh.registry.storage.filesystem.LocalFiles.deleteTree;
import static dev.registrymesh.registry.storage.filesystem.LocalFiles.lastModified;

import dev.registrymesh.registry.storage.UploadStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Removes what abandoned uploads leave behind: sessions untouched for longer than the time-to-live (the store
 * drops their bytes; the s3 driver aborts their multipart uploads) and this node's temp files. Clients that
 * vanish mid-push would otherwise fill the storage. Every node runs it; purging a session twice is harmless.
 * At start it also removes what a crash ({@code kill -9}) left: temp files only ever belong to a request in
 * flight, so none from before this process started has an owner; and sessions the crash left unusable.
 * Complete sessions stay until their time-to-live: a client may still resume them.
 */
public class UploadJanitor {
    private static final Logger LOG = Logger.getLogger(UploadJanitor.class);
    private final UploadStore store;
    private final Path localTemp;
    private final Duration timeToLive;

    public UploadJanitor(UploadStore store, Path localTemp, Duration timeToLive) {
        this.store = store;
        this.localTemp = localTemp;
        this.timeToLive = timeToLive;
    }

    /** What {@link #removeOrphans} removed. */
    public record Orphans(int tempFiles, int unfinishedSessions) {
    }

    /**
     * Deletes what no live request or session can own, from before {@code processStart}: every temp file of this
     * node, and sessions a crash left unusable ({@link UploadStore#removeBroken}). Newer entries belong to requests
     * of this process and stay. Blocking.
     */
    public Orphans removeOrphans(Instant processStart) {
        int temps = 0;
        for (Path temp : children(localTemp)) {
            if (lastModified(temp).isBefore(processStart)) {
                deleteTree(temp);
                temps++;
            }
        }
        int broken = 0;
        try {
            broken = store.removeBroken(processStart);
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "cannot remove unfinished upload sessions");
        }
        LOG.infof("start-up cleanup: removed %d temp file(s) and %d unfinished upload session(s) left by an earlier run",
                temps, broken);
        return new Orphans(temps, broken);
    }

    /** Deletes stale sessions and temp files; returns how many entries went. Blocking. */
    public int purge() {
        Instant cutoff = Instant.now().minus(timeToLive);
        int removed = 0;
        try {
            removed += store.purge(cutoff);
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "cannot purge abandoned upload sessions");
        }
        for (Path temp : children(localTemp)) {
            if (lastModified(temp).isBefore(cutoff)) {
                deleteTree(temp);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.infof("removed %d abandoned upload(s) older than %s", removed, timeToLive);
        }
        return removed;
    }
}
