package dev.registrymesh.registry.events;

import io.smallrye.config.ConfigMapping;
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
    @WithDefault("100")
    int batchSize();

    /** The first wait after a failed POST; it doubles on each further failure. */
    @WithDefault("500ms")
    Duration backoffInitial();

    /** The longest wait between two tries. */
    @WithDefault("30s")
    Duration backoffMax();

    /** fsync each queued event (survives a power cut, not only a crash). */
    @WithDefault("true")
    boolean fsync();
}
