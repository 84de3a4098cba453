package dev.registrymesh.common.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One entry of a token's {@code access} claim, and equally one requested scope: a resource (type and name)
 * with the actions on it, e.g. {@code repository:alice/app:pull,push} or {@code registry:catalog:*}.
 * Field names are those of the Docker token specification, so the record serialises to the claim as is.
 */
public record Access(String type, String name, List<String> actions) {
    public static final String REPOSITORY = "repository";
    public static final String REGISTRY = "registry";
    public static final String CATALOG = "catalog";
    public static final String PULL = "pull";
    public static final String PUSH = "push";
    public static final String DELETE = "delete";
    public static final String ALL = "*";

    public Access {
        if (type == null || type.isEmpty() || name == null || name.isEmpty()) {
            throw new IllegalArgumentException("access needs a type and a name");
        }
        actions = actions == null ? List.of() : List.copyOf(new LinkedHashSet<>(actions));
    }

    public static Access repository(String name, String... actions) {
        return new Access(REPOSITORY, name, List.of(actions));
    }

    public static Access catalog() {
        return new Access(REGISTRY, CATALOG, List.of(ALL));
    }

    /** True when this entry grants {@code action}; {@code *} grants every action, as in Distribution. */
    public boolean allows(String action) {
        return actions.contains(ALL) || actions.contains(action);
    }

    public boolean sameResource(Access other) {
        return type.equals(other.type) && name.equals(other.name);
    }

    /** The scope string, {@code type:name:action,action}. */
    public String toScope() {
        return type + ":" + name + ":" + String.join(",", actions);
    }

    @Override
    public String toString() {
        return toScope();
    }

    /** Merges entries for the same resource (a client may send one scope per action), keeping first-seen order. */
    public static List<Access> merge(Collection<Access> entries) {
        Map<String, Set<String>> byResource = new LinkedHashMap<>();
        Map<String, Access> first = new LinkedHashMap<>();
        for (Access a : entries) {
            String key = a.type + "\u0000" + a.name;
            first.putIfAbsent(key, a);
            byResource.computeIfAbsent(key, k -> new LinkedHashSet<>()).addAll(a.actions);
        }
        List<Access> merged = new ArrayList<>();
        first.forEach((key, a) -> merged.add(new Access(a.type, a.name, new ArrayList<>(byResource.get(key)))));
        return merged;
    }

    /** True when some entry of {@code granted} allows {@code action} on the resource {@code type:name}. */
    public static boolean granted(List<Access> granted, String type, String name, String action) {
        for (Access a : granted) {
            if (a.type.equals(type) && a.name.equals(name) && a.allows(action)) {
                return true;
            }
        }
        return false;
    }
}
