package dev.registrymesh.registry.events;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/** Used when no notification endpoint is configured: events go nowhere. */
@DefaultBean
@ApplicationScoped
public class DiscardingEventSink implements RegistryEventSink {
    @Override
    public void publish(RegistryEvent event) {
    }
}
