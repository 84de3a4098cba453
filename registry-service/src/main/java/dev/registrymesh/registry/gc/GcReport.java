package dev.registrymesh.registry.gc;

import java.time.Instant;
import java.util.List;

/**
 * What one collection removed, or would remove in a dry run. Lists hold at most {@link GarbageCollector#LISTED}
 * entries each; the counts are complete.
 */
public record GcReport(boolean dryRun, Instant startedAt, long durationMillis,
                       int blobsRemoved, long bytesReclaimed, int manifestsRemoved, int tagsRemoved, int linksRemoved,
                       int uploadsRemoved, List<String> blobs, List<String> manifests, List<String> tags) {
}
