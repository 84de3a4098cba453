package dev.registrymesh.registry.auth;

import dev.registrymesh.common.OciException;
import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.common.auth.Access;
import dev.registrymesh.common.http.V2Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * What a /v2 request needs from a token, from its method and path alone (no storage lookups).
 * An empty list means "any valid token" (the /v2/ version check and unknown paths, as in CNCF Distribution).
 *
 * <p>Like Distribution, writes (PUT, POST, PATCH) need {@code pull} and {@code push}: Docker asks for both
 * when it pushes. A cross-repository mount ({@code POST ?mount=&from=}) also needs {@code pull} on the source.
 */
public final class RequiredAccess {
    private RequiredAccess() {
    }

    /**
     * @param from the {@code from} query parameter (mount source) or null
     * @throws OciException NAME_INVALID when the path names an invalid repository
     */
    public static List<Access> of(String method, String path, String mount, String from) {
        if (path.equals("/v2/_catalog")) {
            return List.of(Access.catalog());
        }
        String name = V2Paths.repository(path);
        if (name == null) {
            return List.of();
        }
        RepositoryName.of(name); // NAME_INVALID unless it is a repository name, as the token names it
        List<Access> needed = new ArrayList<>();
        switch (method) {
            case "GET", "HEAD" -> needed.add(Access.repository(name, Access.PULL));
            case "DELETE" -> needed.add(Access.repository(name, Access.DELETE));
            default -> needed.add(Access.repository(name, Access.PULL, Access.PUSH));
        }
        if (method.equals("POST") && mount != null && from != null && RepositoryName.isValid(from) && !from.equals(name)) {
            needed.add(Access.repository(from, Access.PULL));
        }
        return needed;
    }
}
