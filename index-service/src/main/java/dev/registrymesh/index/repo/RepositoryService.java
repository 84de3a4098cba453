package dev.registrymesh.index.repo;

import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.access.Permissions;
import dev.registrymesh.index.account.Guards;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.config.MeshConfig;
import dev.registrymesh.index.model.Action;
import dev.registrymesh.index.model.RepositoryRecord;
import dev.registrymesh.index.model.Visibility;
import dev.registrymesh.index.store.IndexStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Repository records. A repository the caller may not pull does not exist for them: 404, never 403, so that
 * private names do not leak. Settings and removal need the delete right (owners, admin teams, admins).
 */
@ApplicationScoped
public class RepositoryService {
    @Inject
    IndexStore store;
    @Inject
    Permissions permissions;
    @Inject
    MeshConfig config;
    @Inject
    RegistryContent registry;

    Clock clock = Clock.systemUTC();

    public Visibility defaultVisibility() {
        return config.index().defaultVisibility();
    }

    public static String requireName(String fullName) {
        if (!RepositoryName.isValid(fullName) || RepositoryName.of(fullName).namespace() == null) {
            throw new ApiException(400, "NAME_INVALID", "invalid repository name: expected namespace/name in the registry's grammar",
                    Map.of("name", String.valueOf(fullName)));
        }
        return fullName;
    }

    public List<RepositoryRecord> list(Caller caller, String namespace) {
        return store.repositories().all().stream()
                .filter(r -> namespace == null || r.namespace().equals(namespace))
                .filter(r -> permissions.can(caller, r.fullName(), Action.PULL))
                .sorted(Comparator.comparing(RepositoryRecord::fullName))
                .toList();
    }

    public RepositoryRecord get(Caller caller, String fullName) {
        requireName(fullName);
        return store.repositories().get(fullName)
                .filter(r -> permissions.can(caller, fullName, Action.PULL))
                .orElseThrow(() -> notFound(fullName));
    }

    public RepositoryRecord create(Caller caller, String fullName, Visibility visibility, String description) {
        Guards.requireSignedIn(caller);
        requireName(fullName);
        if (!permissions.can(caller, fullName, Action.PUSH)) {
            throw ApiException.denied("you may not create repositories in '" + RepositoryName.of(fullName).namespace() + "'");
        }
        RepositoryRecord record = newRecord(fullName, visibility == null ? defaultVisibility() : visibility, description);
        if (!store.repositories().putIfAbsent(fullName, record)) {
            throw ApiException.conflict("repository exists: " + fullName);
        }
        return record;
    }

    public RepositoryRecord newRecord(String fullName, Visibility visibility, String description) {
        RepositoryName name = RepositoryName.of(fullName);
        return new RepositoryRecord(name.namespace(), name.withinNamespace(), visibility,
                description, clock.instant(), null, 0, 0, Map.of());
    }

    public RepositoryRecord update(Caller caller, String fullName, Visibility visibility, String description) {
        requireManager(caller, fullName);
        return store.repositories().update(fullName, r -> r.withSettings(visibility == null ? r.visibility() : visibility,
                description == null ? r.description() : description)).orElseThrow(() -> notFound(fullName));
    }

    /**
     * Deletes the repository: its tags, manifests and blob links in the registry first (the registry's collection
     * reclaims the bytes; when the registry cannot be reached nothing changes), then the record.
     */
    public void delete(Caller caller, String fullName) {
        Guards.requireSignedIn(caller);
        requireName(fullName);
        // The record may not exist yet (the push's event is on its way), so the rights decide, not the record.
        if (!permissions.can(caller, fullName, Action.PULL)) {
            throw notFound(fullName);
        }
        if (!permissions.can(caller, fullName, Action.DELETE)) {
            throw ApiException.denied("you may pull '" + fullName + "' but not change it");
        }
        boolean hadContent = registry.deleteRepository(fullName);
        if (!store.repositories().delete(fullName) && !hadContent) {
            throw notFound(fullName);
        }
    }

    private void requireManager(Caller caller, String fullName) {
        Guards.requireSignedIn(caller);
        get(caller, fullName);
        if (!permissions.can(caller, fullName, Action.DELETE)) {
            throw ApiException.denied("you may pull '" + fullName + "' but not change it");
        }
    }

    private static ApiException notFound(String fullName) {
        return new ApiException(404, "NAME_UNKNOWN", "repository not found: " + fullName, Map.of("name", fullName));
    }
}
