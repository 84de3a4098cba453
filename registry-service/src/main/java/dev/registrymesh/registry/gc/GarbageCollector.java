package dev.registrymesh.registry.gc;

import dev.registrymesh.common.Digest;
import dev.registrymesh.registry.manifest.ParsedManifest;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.RepositoryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/**
 * Online mark and sweep over {@link BlobStore} and {@link RepositoryStore}, while clients push and pull.
 * <p>
 * <b>Mark</b>, per repository: the manifests kept are those a tag points at, those written within the grace period,
 * and (unless untagged manifests are collected) every other one except referrers whose subject is gone; then, to a
 * fixed point, the children of a kept index and the referrers of a kept manifest. A referrer keeps nothing alive by
 * its {@code subject}: a signature or SBOM of a removed image is garbage too. Everything a kept manifest references
 * (config, layers, children, subject) and the manifest itself are marked. A repository's blob link stays when a kept
 * manifest of that repository references it or it is within the grace period; a blob stays when anything marked it
 * in any repository, or it was written within the grace period.
 * <p>
 * <b>Sweep</b>, in an order that a crash at any point leaves harmless: tags removed by rule, then manifests (referrer
 * entry first), then blob links, then blob bytes: what was removed first is what makes the rest garbage, so the next
 * run finishes the work. Each removal re-checks under {@link WriteBarrier#exclusive}: content that a write joined to
 * this run's mark, or that was written again meanwhile, stays.
 */
public final class GarbageCollector {
    private static final Logger LOG = Logger.getLogger(GarbageCollector.class);
    static final int LISTED = 1000;

    private final BlobStore blobs;
    private final RepositoryStore repositories;
    private final WriteBarrier barrier;
    private final Duration grace;
    private final boolean deleteUntagged;
    private final TagPruner pruner;
    private final IntSupplier uploadPurge;
    private final Consumer<String> changed;
    private final Clock clock;

    public GarbageCollector(BlobStore blobs, RepositoryStore repositories, WriteBarrier barrier, Duration grace,
                            boolean deleteUntagged, TagPruner pruner, IntSupplier uploadPurge, Consumer<String> changed, Clock clock) {
        this.blobs = blobs;
        this.repositories = repositories;
        this.barrier = barrier;
        this.grace = grace;
        this.deleteUntagged = deleteUntagged;
        this.pruner = pruner;
        this.uploadPurge = uploadPurge;
        this.changed = changed;
        this.clock = clock;
    }

    /** One repository's share of the plan. */
    private record Garbage(String repository, List<String> tags, Map<String, Digest> tagTargets,
                           List<Digest> manifests, Map<Digest, Digest> subjects, List<Digest> links) {
    }

    public GcReport run(boolean dryRun) {
        Instant started = clock.instant();
        Instant cutoff = started.minus(grace);
        if (!dryRun) {
            barrier.begin();
        }
        try {
            Set<Digest> marked = new HashSet<>();
            List<Garbage> plan = new ArrayList<>();
            for (String repository : repositories.repositories()) {
                plan.add(mark(repository, cutoff, started, marked));
            }
            Tally tally = new Tally();
            Set<String> touched = new LinkedHashSet<>();
            for (Garbage garbage : plan) {
                if (sweepRepository(garbage, cutoff, dryRun, tally)) {
                    touched.add(garbage.repository());
                }
            }
            blobs.forEachBlob(blob -> {
                if (!marked.contains(blob.digest()) && blob.modified().isBefore(cutoff)) {
                    long size = dryRun ? blob.size() : barrier.exclusive(blob.digest(), () -> removeBlob(blob.digest(), cutoff));
                    if (size >= 0) {
                        tally.blobs++;
                        tally.bytes += size;
                        list(tally.blobList, blob.digest().toString());
                    }
                }
            });
            int uploads = dryRun ? 0 : uploadPurge.getAsInt();
            touched.forEach(changed);
            long millis = Duration.between(started, clock.instant()).toMillis();
            return new GcReport(dryRun, started, millis, tally.blobs, tally.bytes, tally.manifests, tally.tags, tally.links,
                    uploads, tally.blobList, tally.manifestList, tally.tagList);
        } finally {
            if (!dryRun) {
                barrier.end();
            }
        }
    }

    private static final class Tally {
        int blobs;
        long bytes;
        int manifests;
        int tags;
        int links;
        final List<String> blobList = new ArrayList<>();
        final List<String> manifestList = new ArrayList<>();
        final List<String> tagList = new ArrayList<>();
    }

    private static void list(List<String> list, String entry) {
        if (list.size() < LISTED) {
            list.add(entry);
        }
    }

    private Garbage mark(String repository, Instant cutoff, Instant now, Set<Digest> marked) {
        List<RepositoryStore.TagEntry> tags = repositories.tagEntries(repository);
        List<RepositoryStore.ManifestRevision> revisions = repositories.manifestRevisions(repository);
        TagPruner.Plan rules = pruner.plan(repository, tags, revisions, now);
        Set<String> prunedTags = new HashSet<>(rules.tags());
        Set<String> prunedUntagged = new HashSet<>(rules.untaggedManifests());

        Map<Digest, RepositoryStore.ManifestRevision> byDigest = new HashMap<>();
        Map<Digest, ParsedManifest> parsed = new HashMap<>();
        Map<Digest, List<Digest>> referrersOf = new HashMap<>();
        boolean unreadable = false;
        for (RepositoryStore.ManifestRevision revision : revisions) {
            byDigest.put(revision.digest(), revision);
            try {
                ParsedManifest manifest = ParsedManifest.parse(blobs.read(revision.digest()), revision.mediaType());
                parsed.put(revision.digest(), manifest);
                if (manifest.subject() != null) {
                    referrersOf.computeIfAbsent(manifest.subject().digest(), s -> new ArrayList<>()).add(revision.digest());
                }
            } catch (Exception e) {
                // We cannot know what it references: keep it and every link of the repository.
                unreadable = true;
                LOG.warnf("gc: manifest %s of %s cannot be read (%s); the repository's links are kept", revision.digest(), repository, e.toString());
            }
        }

        Deque<Digest> pending = new ArrayDeque<>();
        Map<String, Digest> tagTargets = new HashMap<>();
        List<String> removedTags = new ArrayList<>();
        for (RepositoryStore.TagEntry tag : tags) {
            if (prunedTags.contains(tag.tag())) {
                removedTags.add(tag.tag());
                tagTargets.put(tag.tag(), tag.digest());
            } else {
                pending.add(tag.digest());
            }
        }
        for (RepositoryStore.ManifestRevision revision : revisions) {
            ParsedManifest manifest = parsed.get(revision.digest());
            boolean orphanReferrer = manifest != null && manifest.subject() != null && !byDigest.containsKey(manifest.subject().digest());
            boolean collectable = deleteUntagged || orphanReferrer || prunedUntagged.contains(revision.digest().toString());
            if (revision.putAt().isAfter(cutoff) || manifest == null || !collectable) {
                pending.add(revision.digest());
            }
        }
        Set<Digest> kept = new HashSet<>();
        Set<Digest> referenced = new HashSet<>();
        while (!pending.isEmpty()) {
            Digest digest = pending.poll();
            if (!byDigest.containsKey(digest) || !kept.add(digest)) {
                continue;
            }
            referenced.add(digest);
            ParsedManifest manifest = parsed.get(digest);
            if (manifest != null) {
                manifest.blobs().stream().filter(b -> !b.external()).forEach(b -> referenced.add(b.digest()));
                manifest.manifests().forEach(child -> {
                    referenced.add(child.digest());
                    pending.add(child.digest());
                });
                if (manifest.subject() != null) {
                    referenced.add(manifest.subject().digest());
                }
            }
            pending.addAll(referrersOf.getOrDefault(digest, List.of()));
        }

        List<Digest> removedManifests = new ArrayList<>();
        Map<Digest, Digest> subjects = new HashMap<>();
        for (RepositoryStore.ManifestRevision revision : revisions) {
            if (!kept.contains(revision.digest())) {
                removedManifests.add(revision.digest());
                ParsedManifest manifest = parsed.get(revision.digest());
                if (manifest.subject() != null) {
                    subjects.put(revision.digest(), manifest.subject().digest());
                }
            }
        }
        List<Digest> removedLinks = new ArrayList<>();
        for (RepositoryStore.BlobLink link : repositories.blobLinks(repository)) {
            if (unreadable || referenced.contains(link.digest()) || link.linkedAt().isAfter(cutoff)) {
                marked.add(link.digest());
            } else {
                removedLinks.add(link.digest());
            }
        }
        marked.addAll(referenced);
        return new Garbage(repository, removedTags, tagTargets, removedManifests, subjects, removedLinks);
    }

    /** Removes (or counts) one repository's garbage; true when something was removed. */
    private boolean sweepRepository(Garbage garbage, Instant cutoff, boolean dryRun, Tally tally) {
        String repository = garbage.repository();
        int before = tally.tags + tally.manifests + tally.links;
        for (String tag : garbage.tags()) {
            Digest target = garbage.tagTargets().get(tag);
            // A push of the same tag holds the stripe of the digest it replaces, so it cannot slip in between.
            boolean removed = dryRun || barrier.exclusive(target, () -> !barrier.joined(target)
                    && target.equals(repositories.tag(repository, tag)) && repositories.deleteTag(repository, tag));
            if (removed) {
                tally.tags++;
                list(tally.tagList, repository + ":" + tag);
            }
        }
        for (Digest digest : garbage.manifests()) {
            boolean removed = dryRun || barrier.exclusive(digest, () -> {
                if (barrier.joined(digest)) {
                    return false; // put again, tagged or referenced meanwhile: every such write joins the mark
                }
                Digest subject = garbage.subjects().get(digest);
                if (subject != null) {
                    repositories.deleteReferrer(repository, subject, digest); // first: a crash leaves a plain garbage revision
                }
                return repositories.deleteManifest(repository, digest);
            });
            if (removed) {
                tally.manifests++;
                list(tally.manifestList, repository + "@" + digest);
            }
        }
        for (Digest digest : garbage.links()) {
            boolean removed = dryRun || barrier.exclusive(digest, () -> {
                Instant linkedAt = repositories.linkedAt(repository, digest);
                return !barrier.joined(digest) && linkedAt != null && linkedAt.isBefore(cutoff)
                        && repositories.unlinkBlob(repository, digest);
            });
            if (removed) {
                tally.links++;
            }
        }
        return !dryRun && tally.tags + tally.manifests + tally.links > before;
    }

    /** The bytes freed, or -1 when the blob stays (joined, written again, or gone already). */
    private long removeBlob(Digest digest, Instant cutoff) {
        if (barrier.joined(digest)) {
            return -1;
        }
        BlobStore.StoredBlob now = blobs.stat(digest);
        if (now == null || !now.modified().isBefore(cutoff) || !blobs.delete(digest)) {
            return -1;
        }
        return now.size();
    }
}
