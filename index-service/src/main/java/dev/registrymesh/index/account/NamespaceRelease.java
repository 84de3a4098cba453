package dev.registrymesh.index.account;

import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.config.MeshConfig;
import dev.registrymesh.index.model.ReleasedName;
import dev.registrymesh.index.model.RepositoryRecord;
import dev.registrymesh.index.repo.RegistryContent;
import dev.registrymesh.index.store.IndexStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;

/**
 * What deleting a user or an organization does to its namespace, and what claiming a name again takes. A name
 * must never hand over content of a previous holder:
 * <ul>
 * <li>on deletion, the registry deletes every repository of the namespace first (when it cannot, the deletion
 *     fails and nothing changes), then the repository records go, and the name is remembered as released;</li>
 * <li>a released name can be claimed again after {@code MESH_INDEX_NAME_QUARANTINE}, when every registry token
 *     issued to the old holder has expired; the registry is asked once more to hold nothing under it, in case a
 *     push of the old holder was still under way when the namespace was deleted.</li>
 * </ul>
 */
@ApplicationScoped
public class NamespaceRelease {
    @Inject
    IndexStore store;
    @Inject
    RegistryContent registry;
    @Inject
    MeshConfig config;

    Clock clock = Clock.systemUTC();

    /** Deletes the namespace's content and records; call before the owner itself is removed. */
    public void release(String namespace) {
        registry.deleteNamespace(namespace);
        for (RepositoryRecord r : store.repositories().all()) {
            if (r.namespace().equals(namespace)) {
                store.repositories().delete(r.fullName());
            }
        }
        store.released().put(namespace, new ReleasedName(namespace, clock.instant()));
    }

    /** 409 while the name is in quarantine; otherwise makes sure the registry holds nothing under it. */
    public void requireClaimable(String name) {
        ReleasedName released = store.released().get(name).orElse(null);
        if (released == null) {
            return;
        }
        Instant free = released.releasedAt().plus(config.index().nameQuarantine());
        if (clock.instant().isBefore(free)) {
            throw ApiException.conflict("the name '" + name + "' was released recently; it can be claimed again after " + free);
        }
        registry.deleteNamespace(name);
        store.released().delete(name);
    }
}
