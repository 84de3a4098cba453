package dev.registrymesh.registry.events;

/** Where the registry reports pushes, pulls and deletes. Must not block the caller. */
public interface RegistryEventSink {
    void publish(RegistryEvent event);
}
