package dev.registrymesh.index.config;

import dev.registrymesh.index.model.Visibility;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** index-service's settings; environment variables map onto them (MESH_DATA_DIR -> mesh.data-dir, ...). */
@ConfigMapping(prefix = "mesh")
public interface MeshConfig {
    /** Where the embedded store keeps its files (MESH_DATA_DIR). */
    @WithName("data-dir")
    String dataDir();

    /** Shared secret that callers of /internal/v1 must send (MESH_INTERNAL_TOKEN); unset = loopback only. */
    @WithName("internal-token")
    Optional<String> internalToken();

    /** Bootstrap password of user admin (MESH_ADMIN_PASSWORD); unset = generated and logged once. */
    @WithName("admin-password")
    Optional<String> adminPassword();

    /** Redis URL (REDIS_URL); set = the Redis adapter, unset = the embedded one. */
    @WithName("redis-url")
    Optional<String> redisUrl();

    Index index();

    interface Index {
        /**
         * Visibility of repositories that a push creates: private or public. Typed, so that a wrong value stops
         * the start instead of failing every first push's event (which the registry would retry forever).
         */
        @WithName("default-visibility")
        @WithDefault("private")
        Visibility defaultVisibility();

        /** How long an authorization decision may be reused; local changes drop them at once anyway. */
        @WithName("cache-ttl")
        @WithDefault("30s")
        Duration cacheTtl();

        /** fsync the embedded journal on each write. */
        @WithDefault("true")
        boolean fsync();

        /** Key prefix in Redis. */
        @WithName("redis-prefix")
        @WithDefault("mesh:index")
        String redisPrefix();

        /** Whether anyone may create an account through the API (otherwise admins only). */
        @WithName("open-signup")
        @WithDefault("false")
        boolean openSignup();
    }
}
