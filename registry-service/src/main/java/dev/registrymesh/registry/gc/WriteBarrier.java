package dev.registrymesh.registry.gc;

import dev.registrymesh.common.Digest;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The mark that concurrent writes join. While a collection runs, every write that makes content reachable (a blob
 * committed or linked, a manifest put with everything it references) records its digests here, and the collection
 * never removes a digest that was joined. Per-digest striped locks order the two: a write holds its digests' stripes
 * shared; the collection holds one stripe exclusively while it checks and removes one digest. So a write either runs
 * before the removal (joined: the removal is skipped) or after it (the content is gone, and the write fails as for
 * any missing blob: MANIFEST_BLOB_UNKNOWN, never a manifest that points at nothing).
 * <p>
 * In memory, so it covers the writes of this node: one node per filesystem data directory. Several nodes rely on
 * the grace period (see {@link GcSettings#grace()}).
 */
public final class WriteBarrier {
    private static final int STRIPES = 256;
    private final ReentrantReadWriteLock[] stripes = new ReentrantReadWriteLock[STRIPES];
    /** Digests written during the current run; null when no run is under way. */
    private volatile Set<Digest> joined;

    public WriteBarrier() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantReadWriteLock();
        }
    }

    private int stripeIndex(Digest digest) {
        return Math.floorMod(digest.hex().hashCode(), STRIPES);
    }

    private ReentrantReadWriteLock stripe(Digest digest) {
        return stripes[stripeIndex(digest)];
    }

    /** Runs a write that makes {@code digests} reachable; they join the mark of a run under way. */
    public <T> T write(Collection<Digest> digests, Supplier<T> work) {
        // Stripes in ascending order, as begin() takes them: no two lockers can wait for each other in a cycle.
        int[] order = digests.stream().mapToInt(this::stripeIndex).distinct().sorted().toArray();
        int locked = 0;
        try {
            for (int index : order) {
                stripes[index].readLock().lock();
                locked++;
            }
            Set<Digest> mark = joined;
            if (mark != null) {
                mark.addAll(digests);
            }
            return work.get();
        } finally {
            for (int i = 0; i < locked; i++) {
                stripes[order[i]].readLock().unlock();
            }
        }
    }

    /**
     * Starts recording. Takes every stripe once, so that a write under way when the run starts has finished (and is
     * visible to the run's listing) and every later one records.
     */
    void begin() {
        for (ReentrantReadWriteLock stripe : stripes) {
            stripe.writeLock().lock();
        }
        try {
            joined = ConcurrentHashMap.newKeySet();
        } finally {
            for (ReentrantReadWriteLock stripe : stripes) {
                stripe.writeLock().unlock();
            }
        }
    }

    void end() {
        joined = null;
    }

    boolean joined(Digest digest) {
        Set<Digest> mark = joined;
        return mark != null && mark.contains(digest);
    }

    /** Runs a removal of {@code digest} with its writes held off; {@code removal} checks {@link #joined} first. */
    <T> T exclusive(Digest digest, Supplier<T> removal) {
        ReentrantReadWriteLock.WriteLock lock = stripe(digest).writeLock();
        lock.lock();
        try {
            return removal.get();
        } finally {
            lock.unlock();
        }
    }
}
