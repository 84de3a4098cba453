package dev.registrymesh.index.account;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.Names;
import dev.registrymesh.index.api.ApiException;
import java.util.Set;

/** Which names accounts, teams and robots may take: one repository path component, not a reserved word. */
public final class NamePolicy {
    public static final String OFFICIAL_NAMESPACE = "library";
    /** library is the official namespace; the others would be confusing as namespaces of a registry. */
    private static final Set<String> RESERVED = Set.of(OFFICIAL_NAMESPACE, "v1", "v2", "api", "internal", "q", "_catalog");
    public static final int MAX_LENGTH = 64;

    private NamePolicy() {
    }

    /** A name for a user or an organization, i.e. a namespace. */
    public static String requireNamespace(String name) {
        requireComponent(name, "namespace");
        if (RESERVED.contains(name)) {
            throw ApiException.conflict("the name '" + name + "' is reserved");
        }
        return name;
    }

    /** A name for a team or a robot, within its org or namespace. */
    public static String requireComponent(String name, String what) {
        if (name == null || name.length() > MAX_LENGTH || !Names.PATH_COMPONENT.matcher(name).matches()) {
            throw new ApiException(400, ErrorCode.NAME_INVALID.name(),
                    "invalid " + what + " name: use lowercase letters, digits and single separators (. _ __ -), at most "
                            + MAX_LENGTH + " characters", java.util.Map.of("name", String.valueOf(name)));
        }
        return name;
    }

    public static void requirePassword(String password) {
        if (password == null || password.length() < 8 || password.length() > 72) {
            // bcrypt only reads the first 72 bytes.
            throw ApiException.invalid("password must have 8 to 72 characters");
        }
    }
}
