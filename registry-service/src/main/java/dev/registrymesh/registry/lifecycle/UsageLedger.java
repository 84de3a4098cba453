package dev.registrymesh.registry.lifecycle;

import dev.registrymesh.common.Digest;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where the namespaces' usage is kept, and the lock under which a write checks it and commits: in this process
 * ({@link LocalUsageLedger}, one node) or in Redis, shared by every registry node ({@link RedisUsageLedger}).
 * {@link QuotaGuard} decides with it; the ledger only keeps the numbers right.
 */
public interface UsageLedger {

    /** One namespace's usage while its lock is held. */
    interface Held {
        long bytes();

        int blobCount();

        int repositoryCount();

        boolean holdsBlob(Digest digest);

        boolean holdsRepository(String repository);

        /** A write committed {@code added} (digest to size) into {@code repository}: it counts from now on. */
        void record(String repository, Map<Digest, Long> added);
    }

    /**
     * Runs {@code action} holding the namespace's lock, with its usage known (computed from storage when it was not,
     * or when content left the namespace since).
     */
    <T> T locked(String namespace, Function<Held, T> action);

    /**
     * Runs a write into a namespace that no limit applies to (nothing to check, so no lock to wait for); the usage
     * learns of it, or learns that it must be computed again.
     */
    <T> T unchecked(String namespace, String repository, Map<Digest, Long> added, Supplier<T> work);

    /** Content left the namespace (or a write failed half way): its usage is computed again when next needed. */
    void invalidate(String namespace);
}
