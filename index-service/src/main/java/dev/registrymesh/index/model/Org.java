package dev.registrymesh.index.model;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/** An organization: owns the namespace of its name; its owners have every right in it. */
public record Org(String name, Set<String> owners, Instant createdAt) {
    public Org {
        owners = Set.copyOf(owners);
    }

    public Org withOwner(String user, boolean present) {
        Set<String> next = new TreeSet<>(owners);
        if (present) {
            next.add(user);
        } else {
            next.remove(user);
        }
        return new Org(name, next, createdAt);
    }
}
