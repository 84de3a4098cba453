package dev.registrymesh.registry.gc;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the garbage collection ({@code mesh.gc.*}, or {@code MESH_GC_*} in the environment). */
@ConfigMapping(prefix = "mesh.gc")
public interface GcSettings {

    /**
     * MESH_GC_GRACE: blobs, blob links and manifests written more recently than this are never collected. It is what
     * keeps a push in flight (blobs uploaded, manifest not yet put) whole, so it must exceed the longest push; the
     * default equals the life of an upload session.
     */
    @WithDefault("24h")
    Duration grace();

    /** MESH_GC_INTERVAL: run a collection this often; unset (the default) runs none on a schedule. */
    Optional<Duration> interval();

    /** MESH_GC_DELETE_UNTAGGED: also remove manifests that no tag reaches (and older than the grace period). */
    @WithDefault("false")
    boolean deleteUntagged();

    /** MESH_GC_LOCK_TTL: life of the cluster lock in Redis, renewed while a run lasts; a dead node's lock expires. */
    @WithDefault("60s")
    Duration lockTtl();
}
