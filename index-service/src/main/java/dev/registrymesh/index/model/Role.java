package dev.registrymesh.index.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** A team's or robot's standing on a namespace's repositories. */
public enum Role {
    PULL(EnumSet.of(Action.PULL)),
    PUSH(EnumSet.of(Action.PULL, Action.PUSH)),
    /** Everything on the repositories (pull, push, delete, settings), but not the organization itself. */
    ADMIN(EnumSet.of(Action.PULL, Action.PUSH, Action.DELETE));

    private final Set<Action> actions;

    Role(Set<Action> actions) {
        this.actions = Set.copyOf(actions);
    }

    public Set<Action> actions() {
        return actions;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Role of(String id) {
        for (Role r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role: " + id + " (pull, push or admin)");
    }
}
