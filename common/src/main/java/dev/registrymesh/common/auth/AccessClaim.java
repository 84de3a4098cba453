package dev.registrymesh.common.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads and writes the {@code access} claim, {@code [{"type","name","actions":[...]}]}, as plain JSON values. */
public final class AccessClaim {
    private AccessClaim() {
    }

    /** Reads the claim value as a JSON parser left it (lists and maps). Absent = no access. */
    public static List<Access> read(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("access claim is not a list");
        }
        List<Access> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("access entry is not an object");
            }
            Object type = map.get("type");
            Object name = map.get("name");
            Object actions = map.get("actions");
            if (!(type instanceof String t) || !(name instanceof String n)) {
                throw new IllegalArgumentException("access entry needs string type and name");
            }
            List<String> acts = new ArrayList<>();
            if (actions instanceof List<?> al) {
                for (Object a : al) {
                    if (!(a instanceof String s)) {
                        throw new IllegalArgumentException("access actions must be strings");
                    }
                    acts.add(s);
                }
            } else if (actions != null) {
                throw new IllegalArgumentException("access actions must be a list");
            }
            out.add(new Access(t, n, acts));
        }
        return out;
    }

    /** The claim value to put into a token. */
    public static List<Map<String, Object>> write(List<Access> access) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Access a : access) {
            out.add(Map.of("type", a.type(), "name", a.name(), "actions", a.actions()));
        }
        return out;
    }
}
