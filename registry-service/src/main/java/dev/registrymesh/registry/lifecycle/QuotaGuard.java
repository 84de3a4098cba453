package dev.registrymesh.registry.lifecycle;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.RepositoryStore;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Namespace quotas, counted as Harbor counts: each blob (layers, configs, manifests) once per namespace however many
 * of its repositories hold it. Usage is computed from storage (the blob links and manifest revisions of the
 * namespace's repositories) on first use and then kept in memory: this node's writes add to it, removals drop it to
 * be computed again. A write checks and commits under the namespace's lock, so concurrent pushes cannot together pass
 * the quota (on one node; see the README for several).
 */
public final class QuotaGuard {
    private final BlobStore blobs;
    private final RepositoryStore repositories;
    private final PolicySource policies;
    private final Map<String, Usage> usage = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    /** What a namespace holds: its digests (each counted once), their bytes and its repositories. */
    public static final class Usage {
        final Set<Digest> digests = new HashSet<>();
        final Set<String> repositories = new HashSet<>();
        long bytes;

        public long bytes() {
            return bytes;
        }

        public int repositoryCount() {
            return repositories.size();
        }

        public int blobCount() {
            return digests.size();
        }
    }

    public QuotaGuard(BlobStore blobs, RepositoryStore repositories, PolicySource policies) {
        this.blobs = blobs;
        this.repositories = repositories;
        this.policies = policies;
    }

    private Object lock(String namespace) {
        return locks.computeIfAbsent(namespace, n -> new Object());
    }

    /** The namespace's usage now (computed from storage when not known). */
    public Usage usage(String namespace) {
        synchronized (lock(namespace)) {
            return usage.computeIfAbsent(namespace, this::compute);
        }
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

    private Usage compute(String namespace) {
        Usage u = new Usage();
        for (String repository : repositories.repositories()) {
            if (!RepositoryName.isValid(repository) || !RepositoryName.of(repository).isIn(namespace)) {
                continue;
            }
            boolean holds = false;
            for (RepositoryStore.BlobLink link : repositories.blobLinks(repository)) {
                holds = true;
                add(u, link.digest(), blobs.size(link.digest()));
            }
            for (RepositoryStore.ManifestRevision revision : repositories.manifestRevisions(repository)) {
                holds = true;
                add(u, revision.digest(), blobs.size(revision.digest()));
            }
            if (holds) {
                u.repositories.add(repository);
            }
        }
        return u;
    }

    private static void add(Usage u, Digest digest, long size) {
        if (size >= 0 && u.digests.add(digest)) {
            u.bytes += size;
        }
    }

    /** Runs {@code work}, which adds {@code added} to {@code repository}, unless that would exceed a limit (DENIED). */
    public <T> T admit(String repository, Map<Digest, Long> added, Supplier<T> work) {
        String namespace = RepositoryName.of(repository).namespace();
        if (namespace == null) {
            return work.get();
        }
        NamespacePolicy policy = policies.policy(namespace);
        if (policy.quotaBytes() == null && policy.maxRepositories() == null && !usage.containsKey(namespace)) {
            return work.get(); // no limit and nobody asked for the usage: nothing to keep up to date
        }
        synchronized (lock(namespace)) {
            Usage u = usage.computeIfAbsent(namespace, this::compute);
            long more = 0;
            for (Map.Entry<Digest, Long> entry : added.entrySet()) {
                if (!u.digests.contains(entry.getKey())) {
                    more += entry.getValue();
                }
            }
            if (policy.quotaBytes() != null && more > 0 && u.bytes + more > policy.quotaBytes()) {
                throw new OciException(ErrorCode.DENIED, "storage quota of namespace '" + namespace + "' exceeded: quota "
                        + policy.quotaBytes() + " bytes, used " + u.bytes + " bytes, this push needs " + more + " more",
                        Map.of("namespace", namespace, "quotaBytes", policy.quotaBytes(), "usedBytes", u.bytes, "neededBytes", more));
            }
            requireRepositorySlot(policy, u, namespace, repository);
            T result = work.get();
            added.forEach((digest, size) -> add(u, digest, size));
            u.repositories.add(repository);
            return result;
        }
    }

    /** Refuses a repository the namespace does not hold yet when it holds its limit already. */
    public void checkNewRepository(String repository) {
        String namespace = RepositoryName.of(repository).namespace();
        if (namespace == null) {
            return;
        }
        NamespacePolicy policy = policies.policy(namespace);
        if (policy.maxRepositories() != null) {
            requireRepositorySlot(policy, usage(namespace), namespace, repository);
        }
    }

    private static void requireRepositorySlot(NamespacePolicy policy, Usage u, String namespace, String repository) {
        if (policy.maxRepositories() != null && !u.repositories.contains(repository)
                && u.repositories.size() >= policy.maxRepositories()) {
            throw new OciException(ErrorCode.DENIED, "repository limit of namespace '" + namespace + "' reached: at most "
                    + policy.maxRepositories() + " repositories, it holds " + u.repositories.size(),
                    Map.of("namespace", namespace, "maxRepositories", policy.maxRepositories(), "repositories", u.repositories.size()));
        }
    }

    /** Content left the repository: its namespace's usage is computed again when next needed. */
    public void removed(String repository) {
        if (RepositoryName.isValid(repository)) {
            String namespace = RepositoryName.of(repository).namespace();
            if (namespace != null) {
                synchronized (lock(namespace)) {
                    usage.remove(namespace);
                }
            }
        }
    }
}
