package dev.registrymesh.index.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.registrymesh.index.config.MeshConfig;
import dev.registrymesh.index.model.Action;
import dev.registrymesh.index.store.IndexStore;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * The caches that make authentication and authorization fast. Any change to the store (here, or on another
 * node sharing Redis) drops all of them at once, so a revocation or a removal from a team counts from the
 * next request on; the TTL only bounds staleness if a change notice from another node was missed.
 */
@ApplicationScoped
public class AccessCache {
    @Inject
    MeshConfig config;
    @Inject
    IndexStore store;

    /** sha256(username NUL secret) -> the caller those credentials authenticate as. */
    private Cache<String, Caller> logins;
    /** subject NUL credential -> the caller, re-validated. */
    private Cache<String, Caller> callers;
    /** subject NUL credential NUL repository -> the actions permitted there. */
    private Cache<String, Set<Action>> decisions;

    @PostConstruct
    void init() {
        logins = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(config.index().cacheTtl()).build();
        callers = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(config.index().cacheTtl()).build();
        decisions = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.index().cacheTtl()).build();
        store.onChange(this::invalidateAll);
    }

    public Cache<String, Caller> logins() {
        return logins;
    }

    public Cache<String, Caller> callers() {
        return callers;
    }

    public Cache<String, Set<Action>> decisions() {
        return decisions;
    }

    public void invalidateAll() {
        logins.invalidateAll();
        callers.invalidateAll();
        decisions.invalidateAll();
    }
}
