package dev.registrymesh.registry.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness with the notification queue's state: {@code ok}, {@code full} (events are being dropped because the
 * queue reached its byte bound), {@code behind} (the writer's memory hand-off overflowed) or {@code failing} (the
 * disk refuses writes), with the queued events and bytes.
 * <p>
 * The check stays UP in every state: a full queue means the receiver (index-service) has been down or slow for
 * long, which every registry node sees at once; taking nodes out of the load balancer for it would turn lost
 * notifications into a registry that serves no images at all. Pushes and pulls keep working; the loss is
 * counted ({@code registry_events_dropped_total}) and logged once per episode, for alerts to act on.
 */
@Readiness
@ApplicationScoped
public class EventQueueReadiness implements HealthCheck {
    @Inject
    DurableEventSink sink;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("registry-events").up();
        EventQueueStats stats = sink.stats();
        if (stats == null) {
            return r.withData("state", "off").build();
        }
        EventQueueStats.Reason refusing = stats.refusing();
        String state = refusing == null ? "ok" : switch (refusing) {
            case FULL -> "full";
            case BACKLOG -> "behind";
            case ERROR -> "failing";
        };
        EventQueue queue = stats.queue();
        return r.withData("state", state)
                .withData("queuedEvents", queue.size())
                .withData("queuedBytes", queue.bytes())
                .withData("maxBytes", queue.maxBytes())
                .withData("dropped", stats.droppedTotal())
                .build();
    }
}
