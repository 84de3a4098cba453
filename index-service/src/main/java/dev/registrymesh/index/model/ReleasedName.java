package dev.registrymesh.index.model;

import java.time.Instant;

/**
 * A namespace name whose user or organization was deleted. It cannot be claimed again until its quarantine
 * has passed (registry tokens issued to the old holder have expired by then), and before it is claimed the
 * registry is asked once more to hold nothing under it.
 */
public record ReleasedName(String name, Instant releasedAt) {
}
