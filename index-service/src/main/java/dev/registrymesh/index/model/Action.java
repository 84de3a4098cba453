package dev.registrymesh.index.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a caller may do to a repository, as the Docker token scopes name it; ADMIN is account management. */
public enum Action {
    PULL, PUSH, DELETE, ADMIN;

    /** The repository actions that {@code *} stands for. */
    public static final Set<Action> REPOSITORY_ALL = Set.copyOf(EnumSet.of(PULL, PUSH, DELETE));

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Action of(String id) {
        for (Action a : values()) {
            if (a.id().equals(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown action: " + id);
    }
}
