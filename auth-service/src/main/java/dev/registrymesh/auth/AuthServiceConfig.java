package dev.registrymesh.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** auth-service settings; every key also comes from the environment (e.g. {@code MESH_AUTH_TOKEN_TTL}). */
@ConfigMapping(prefix = "mesh")
public interface AuthServiceConfig {

    /** Where the signing keys live ({@code <data-dir>/keys}). */
    String dataDir();

    /** How to reach index-service's internal API. */
    @WithDefault("http://127.0.0.1:5002")
    String indexUrl();

    /** Sent as {@code X-Mesh-Internal-Token} to index-service when set. */
    Optional<String> internalToken();

    Auth auth();

    interface Auth {
        /** The {@code iss} of every token; registries must be configured with the same value. */
        @WithDefault("registry-mesh-auth")
        String issuer();

        /** Lifetime of access tokens; never under 60 s (Docker assumes at least that). */
        @WithDefault("5m")
        Duration tokenTtl();

        /** Lifetime of refresh tokens (Docker keeps them as "identity tokens" after docker login). */
        @WithDefault("90d")
        Duration refreshTtl();

        /** Algorithm of a newly generated key: RS256 or ES256. */
        @WithDefault("RS256")
        String keyAlgorithm();

        /** Generate a new signing key at start even when keys exist (rotation); older keys stay published. */
        @WithDefault("false")
        boolean rotateKey();

        /**
         * Where the signing keys live; default {@code <data-dir>/keys}. Point every auth-service node at one shared
         * directory (a volume or a mounted secret) so that every node signs with and publishes the same keys.
         */
        Optional<String> keysDir();

        /** How often the key directory is read again (keys another node made are published and used). */
        @WithDefault("30s")
        Duration keysRescan();

        /**
         * How long a new key is published before it signs, so that every node (and every registry's JWKS) knows it
         * before a token signed with it exists. At least {@link #keysRescan()}.
         */
        @WithDefault("60s")
        Duration keyActivation();

        /**
         * How long authenticate/authorize answers of index-service are reused. Short on purpose: a revoked
         * token or removed grant takes effect within this time (plus the lifetime of tokens already issued).
         */
        @WithDefault("5s")
        Duration decisionCacheTtl();

        Throttle throttle();
    }

    /** Brute-force slow-down: after the free failures, each further failure doubles the wait, up to a cap. */
    interface Throttle {
        @WithDefault("5")
        int accountFreeFailures();

        @WithDefault("20")
        int addressFreeFailures();

        @WithDefault("1s")
        Duration baseDelay();

        @WithDefault("60s")
        Duration accountMaxDelay();

        @WithDefault("300s")
        Duration addressMaxDelay();

        /** A record of failures is forgotten this long after its last failure. */
        @WithDefault("15m")
        Duration forgetAfter();
    }
}
