package dev.registrymesh.registry.lifecycle;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.RepositoryStore;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A namespace's usage computed from storage, as Harbor counts it: each blob (layers, configs, manifests) once per
 * namespace however many of its repositories hold it; from the blob links and manifest revisions of the namespace's
 * repositories.
 */
public final class UsageScan {
    private final BlobStore blobs;
    private final RepositoryStore repositories;

    /** What a namespace holds: its digests with their sizes (each counted once), and its repositories. */
    public record Result(Map<Digest, Long> blobs, Set<String> repositories, long bytes) {
    }

    public UsageScan(BlobStore blobs, RepositoryStore repositories) {
        this.blobs = blobs;
        this.repositories = repositories;
    }

    public Result scan(String namespace) {
        Map<Digest, Long> held = new LinkedHashMap<>();
        Set<String> holding = new LinkedHashSet<>();
        long bytes = 0;
        for (String repository : repositories.repositories()) {
            if (!RepositoryName.isValid(repository) || !RepositoryName.of(repository).isIn(namespace)) {
                continue;
            }
            boolean holds = false;
            for (RepositoryStore.BlobLink link : repositories.blobLinks(repository)) {
                holds = true;
                bytes += add(held, link.digest());
            }
            for (RepositoryStore.ManifestRevision revision : repositories.manifestRevisions(repository)) {
                holds = true;
                bytes += add(held, revision.digest());
            }
            if (holds) {
                holding.add(repository);
            }
        }
        return new Result(held, holding, bytes);
    }

    private long add(Map<Digest, Long> held, Digest digest) {
        if (held.containsKey(digest)) {
            return 0;
        }
        long size = blobs.size(digest);
        if (size < 0) {
            return 0;
        }
        held.put(digest, size);
        return size;
    }
}
