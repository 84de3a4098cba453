package dev.registrymesh.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the registry ({@code mesh.registry.*}, or {@code MESH_REGISTRY_*} in the environment). */
@ConfigMapping(prefix = "mesh.registry")
public interface RegistryConfig {

    /** The largest manifest accepted, in bytes; larger ones are answered 413. */
    @WithDefault("4194304")
    int maxManifestBytes();

    /** Advertised in {@code OCI-Chunk-Min-Length}: the smallest chunk clients should send (0: no minimum). */
    @WithDefault("0")
    long chunkMinLength();

    /** Upload sessions and temp files untouched for this long are removed. */
    @WithDefault("24h")
    java.time.Duration uploadTimeToLive();

    /** The most entries a catalog or tag list page holds, whatever {@code n} asks for. */
    @WithDefault("10000")
    int maxPageSize();
}
