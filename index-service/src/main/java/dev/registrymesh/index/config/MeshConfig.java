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

    /** How index-service reaches registry-service's admin API, to delete the content of deleted owners (MESH_REGISTRY_URL). */
    @WithName("registry-url")
    @WithDefault("http://127.0.0.1:5000")
    String registryUrl();

    /**
     * mirror-service nodes, comma-separated (MESH_MIRROR_URL): the console's mirror page reads each node's metrics
     * and sends prefetches to the first one.
     */
    @WithName("mirror-url")
    @WithDefault("http://127.0.0.1:5003")
    java.util.List<String> mirrorUrls();

    /**
     * The management URLs of the same mirror nodes, in the same order (MESH_MIRROR_MANAGEMENT_URL): metrics answer
     * on a node's management port only.
     */
    @WithName("mirror-management-url")
    @WithDefault("http://127.0.0.1:9003")
    java.util.List<String> mirrorManagementUrls();

    /** The mirror's upstreams as the mirror reads them (MIRROR_UPSTREAMS), shown on the mirror page. */
    @WithName("mirror-upstreams")
    @WithDefault("docker.io=https://registry-1.docker.io")
    String mirrorUpstreams();

    Index index();

    Console console();

    /** The web console (MESH_CONSOLE_*). */
    interface Console {
        /** How long a console sign-in lasts. */
        @WithName("session-ttl")
        @WithDefault("12h")
        Duration sessionTtl();

        /** Mark cookies Secure: unset = when the request came over TLS (see quarkus.http.proxy.* behind a proxy). */
        @WithName("secure-cookie")
        Optional<Boolean> secureCookie();

        /** The registry's host as clients name it, for pull commands; unset = the host and port of MESH_REGISTRY_URL. */
        @WithName("registry-host")
        Optional<String> registryHost();
    }

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

        /**
         * How long the name of a deleted user or organization cannot be claimed again: at least the lifetime
         * of registry tokens (MESH_AUTH_TOKEN_TTL), so that none issued to the old holder reaches the new one's.
         */
        @WithName("name-quarantine")
        @WithDefault("10m")
        Duration nameQuarantine();

        /** Slowing down password guessing on the API (MESH_INDEX_THROTTLE_*), as auth-service does on /token. */
        Throttle throttle();
    }

    interface Throttle {
        @WithName("account-free-failures")
        @WithDefault("5")
        int accountFreeFailures();

        @WithName("address-free-failures")
        @WithDefault("20")
        int addressFreeFailures();

        @WithName("base-delay")
        @WithDefault("1s")
        Duration baseDelay();

        @WithName("account-max-delay")
        @WithDefault("60s")
        Duration accountMaxDelay();

        @WithName("address-max-delay")
        @WithDefault("300s")
        Duration addressMaxDelay();

        @WithName("forget-after")
        @WithDefault("15m")
        Duration forgetAfter();
    }
}
