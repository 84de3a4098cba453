package dev.registrymesh.registry.lifecycle;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.RepositoryStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Namespace quotas (bytes and repositories), counted as {@link UsageScan} counts. A write checks and commits under
 * the namespace's lock of the {@link UsageLedger}, so concurrent pushes cannot together pass the quota: on one node
 * with {@link LocalUsageLedger}, across every node sharing a Redis with {@link RedisUsageLedger}.
 */
public final class QuotaGuard {
    private final PolicySource policies;
    private final UsageLedger ledger;

    /** What a namespace holds, as the usage API reports it. */
    public record Usage(long bytes, int blobCount, int repositoryCount) {
    }

    /** One node: usage in this process. */
    public QuotaGuard(BlobStore blobs, RepositoryStore repositories, PolicySource policies) {
        this(policies, new LocalUsageLedger(new UsageScan(blobs, repositories)));
    }

    public QuotaGuard(PolicySource policies, UsageLedger ledger) {
        this.policies = policies;
        this.ledger = ledger;
    }

    /** The namespace's usage now (computed from storage when not known). */
    public Usage usage(String namespace) {
        return ledger.locked(namespace, u -> new Usage(u.bytes(), u.blobCount(), u.repositoryCount()));
    }

    /** The usage as an API answer. */
    public Map<String, Object> describe(String namespace) {
        NamespacePolicy policy = policies.policy(namespace);
        Usage u = usage(namespace);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("namespace", namespace);
        body.put("usedBytes", u.bytes());
        body.put("blobs", u.blobCount());
        body.put("repositories", u.repositoryCount());
        body.put("quotaBytes", policy.quotaBytes());
        body.put("maxRepositories", policy.maxRepositories());
        return body;
    }

    /** Runs {@code work}, which adds {@code added} to {@code repository}, unless that would exceed a limit (DENIED). */
    public <T> T admit(String repository, Map<Digest, Long> added, Supplier<T> work) {
        String namespace = RepositoryName.of(repository).namespace();
        if (namespace == null) {
            return work.get();
        }
        NamespacePolicy policy = policies.policy(namespace);
        if (policy.quotaBytes() == null && policy.maxRepositories() == null) {
            return ledger.unchecked(namespace, repository, added, work);
        }
        return ledger.locked(namespace, u -> {
            long more = 0;
            for (Map.Entry<Digest, Long> entry : added.entrySet()) {
                if (!u.holdsBlob(entry.getKey())) {
                    more += entry.getValue();
                }
            }
            if (policy.quotaBytes() != null && more > 0 && u.bytes() + more > policy.quotaBytes()) {
                throw new OciException(ErrorCode.DENIED, "storage quota of namespace '" + namespace + "' exceeded: quota "
                        + policy.quotaBytes() + " bytes, used " + u.bytes() + " bytes, this push needs " + more + " more",
                        Map.of("namespace", namespace, "quotaBytes", policy.quotaBytes(), "usedBytes", u.bytes(), "neededBytes", more));
            }
            requireRepositorySlot(policy, u, namespace, repository);
            T result;
            try {
                result = work.get();
            } catch (RuntimeException failed) {
                // Refused before writing (a missing blob) or failed half way (storage gone): which one is not always
                // known here, so the usage is counted from storage next time rather than trusted.
                ledger.invalidate(namespace);
                throw failed;
            }
            u.record(repository, added);
            return result;
        });
    }

    /** Refuses a repository the namespace does not hold yet when it holds its limit already. */
    public void checkNewRepository(String repository) {
        String namespace = RepositoryName.of(repository).namespace();
        if (namespace == null) {
            return;
        }
        NamespacePolicy policy = policies.policy(namespace);
        if (policy.maxRepositories() != null) {
            ledger.locked(namespace, u -> {
                requireRepositorySlot(policy, u, namespace, repository);
                return null;
            });
        }
    }

    private static void requireRepositorySlot(NamespacePolicy policy, UsageLedger.Held u, String namespace, String repository) {
        if (policy.maxRepositories() != null && !u.holdsRepository(repository)) {
            int held = u.repositoryCount();
            if (held >= policy.maxRepositories()) {
                throw new OciException(ErrorCode.DENIED, "repository limit of namespace '" + namespace + "' reached: at most "
                        + policy.maxRepositories() + " repositories, it holds " + held,
                        Map.of("namespace", namespace, "maxRepositories", policy.maxRepositories(), "repositories", held));
            }
        }
    }

    /** Content left the repository: its namespace's usage is computed again when next needed. */
    public void removed(String repository) {
        if (RepositoryName.isValid(repository)) {
            String namespace = RepositoryName.of(repository).namespace();
            if (namespace != null) {
                ledger.invalidate(namespace);
            }
        }
    }
}
