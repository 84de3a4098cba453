package dev.registrymesh.registry.events;

import io.smallrye.config.ConfigMapping;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code mesh.notifications.*} (env {@code MESH_NOTIFICATIONS_*}): where and how registry events are sent. */
@ConfigMapping(prefix = "mesh.notifications")
public interface NotificationConfig {
    @WithDefault("true")
    boolean enabled();

    /** Default: {@code ${mesh.index-url}/internal/v1/events}. */
    Optional<String> url();

    /** The most events in one POST. */
    @WithDefault("500")
    int batchSize();

    /** The first wait after a failed POST; it doubles on each further failure. */
    @WithDefault("500ms")
    Duration backoffInitial();

    /** The longest wait between two tries. */
    @WithDefault("30s")
    Duration backoffMax();

    /**
     * fsync each group of queued events before counting them as stored (survives a power cut, not only a
     * crash). Events that arrive together share one fsync.
     */
    @WithDefault("true")
    boolean fsync();

    /**
     * The bound of the on-disk queue, in bytes of events not yet delivered (about 700 bytes an event). When it is
     * reached new events are dropped, counted and logged, until the receiver catches up.
     */
    @WithDefault("1G")
    MemorySize maxQueueBytes();

    /** The size at which a queue segment file is sealed and the next one started; delivered segments are deleted whole. */
    @WithDefault("64M")
    MemorySize segmentBytes();
}
