package dev.registrymesh.registry.lifecycle;

import dev.registrymesh.common.Digest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The usage in this node's memory, under a per-namespace monitor: computed from storage on first use, then kept up
 * to date by this node's writes and dropped by removals. Right for one node; with several, use
 * {@link RedisUsageLedger}.
 */
public final class LocalUsageLedger implements UsageLedger {
    private final UsageScan scan;
    private final Map<String, Usage> usage = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    private static final class Usage implements Held {
        final Map<Digest, Long> digests;
        final Set<String> repositories;
        long bytes;

        Usage(UsageScan.Result scanned) {
            digests = new HashMap<>(scanned.blobs());
            repositories = new HashSet<>(scanned.repositories());
            bytes = scanned.bytes();
        }

        @Override
        public long bytes() {
            return bytes;
        }

        @Override
        public int blobCount() {
            return digests.size();
        }

        @Override
        public int repositoryCount() {
            return repositories.size();
        }

        @Override
        public boolean holdsBlob(Digest digest) {
            return digests.containsKey(digest);
        }

        @Override
        public boolean holdsRepository(String repository) {
            return repositories.contains(repository);
        }

        @Override
        public void record(String repository, Map<Digest, Long> added) {
            added.forEach((digest, size) -> {
                if (size >= 0 && digests.putIfAbsent(digest, size) == null) {
                    bytes += size;
                }
            });
            repositories.add(repository);
        }
    }

    public LocalUsageLedger(UsageScan scan) {
        this.scan = scan;
    }

    private Object lock(String namespace) {
        return locks.computeIfAbsent(namespace, n -> new Object());
    }

    @Override
    public <T> T locked(String namespace, Function<Held, T> action) {
        synchronized (lock(namespace)) {
            return action.apply(usage.computeIfAbsent(namespace, n -> new Usage(scan.scan(n))));
        }
    }

    @Override
    public <T> T unchecked(String namespace, String repository, Map<Digest, Long> added, Supplier<T> work) {
        if (!usage.containsKey(namespace)) {
            return work.get(); // nobody asked for the usage: nothing to keep up to date
        }
        return locked(namespace, held -> {
            T result = work.get();
            held.record(repository, added);
            return result;
        });
    }

    @Override
    public void invalidate(String namespace) {
        synchronized (lock(namespace)) {
            usage.remove(namespace);
        }
    }
}
