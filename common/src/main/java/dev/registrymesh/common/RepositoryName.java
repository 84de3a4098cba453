package dev.registrymesh.common;

import java.util.Map;

/**
 * The name of a repository in this registry: a path such as {@code alice/app} or {@code acme/team/site},
 * never a reference with a registry host. It is the one name type that the token server signs, the index
 * authorizes and the registry stores under, so that every authorization decision is made on exactly the
 * string that is signed and served: {@code bob.dev/alice/app} is repository {@code app/...} of namespace
 * {@code bob.dev}, not {@code alice/app} on a host {@code bob.dev}.
 *
 * @param path the whole name, valid by the repository grammar ({@link Names#repositoryProblem})
 */
public record RepositoryName(String path) {

    public RepositoryName {
        String problem = Names.repositoryProblem(path);
        if (problem != null) {
            throw new OciException(ErrorCode.NAME_INVALID, problem, Map.of("name", String.valueOf(path)));
        }
    }

    /** The name, or NAME_INVALID. */
    public static RepositoryName of(String path) {
        return new RepositoryName(path);
    }

    public static boolean isValid(String path) {
        return Names.repositoryProblem(path) == null;
    }

    /** The account or organization that owns the name: its first component; null for a one-part name. */
    public String namespace() {
        int slash = path.indexOf('/');
        return slash < 0 ? null : path.substring(0, slash);
    }

    /** The rest after the namespace ({@code app} of {@code alice/app}); the whole name when it has no namespace. */
    public String withinNamespace() {
        int slash = path.indexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** True when this name lies in {@code namespace}. */
    public boolean isIn(String namespace) {
        return namespace != null && namespace.equals(namespace());
    }

    @Override
    public String toString() {
        return path;
    }
}
