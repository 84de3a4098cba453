package dev.registrymesh.registry.admin;

import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.registry.storage.RepositoryStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes what repositories hold, for index-service when a repository, a user or an organization is deleted:
 * tags, manifests, blob links and referrers go at once; the blobs become garbage for the collection. A name that
 * held nothing is not an error, so a retried deletion simply finds less.
 */
public final class ContentRemoval {
    private final RepositoryStore repositories;

    public ContentRemoval(RepositoryStore repositories) {
        this.repositories = repositories;
    }

    /** The repository, if it held anything: the names removed. */
    public List<String> repository(RepositoryName name) {
        return repositories.deleteRepository(name.path()) ? List.of(name.path()) : List.of();
    }

    /** Every repository of {@code namespace} (a first name component): the names removed. */
    public List<String> namespace(String namespace) {
        List<String> removed = new ArrayList<>();
        for (String repository : repositories.repositories()) {
            if (RepositoryName.isValid(repository) && RepositoryName.of(repository).isIn(namespace)
                    && repositories.deleteRepository(repository)) {
                removed.add(repository);
            }
        }
        return removed;
    }
}
