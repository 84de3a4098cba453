package dev.registrymesh.mirror.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The {@code mesh.*} settings every service shares that the mirror reads. */
@ConfigMapping(prefix = "mesh")
public interface MeshSettings {
    /** Where this node keeps its cache ({@code MESH_DATA_DIR}). */
    String dataDir();

    /** {@code REDIS_URL}: the shared cluster index; unset = embedded index, single node. */
    Optional<String> redisUrl();

    /** {@code MESH_INTERNAL_TOKEN}: required on the internal peer and admin endpoints when set. */
    Optional<String> internalToken();
}
