package dev.registrymesh.index.model;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * A group of an organization's members (users or the org's robots) holding one role on the org's
 * repositories: all of them, or only those listed in {@code repositories} (names within the org).
 */
public record Team(String org, String name, Role role, String description, Set<String> members, Set<String> repositories,
                   Instant createdAt) {
    public Team {
        members = Set.copyOf(members);
        repositories = repositories == null ? Set.of() : Set.copyOf(repositories);
    }

    public static String key(String org, String name) {
        return org + "/" + name;
    }

    public String key() {
        return key(org, name);
    }

    /** True when this team's role reaches the repository {@code org/rest}. */
    public boolean covers(String repositoryWithinOrg) {
        return repositories.isEmpty() || repositories.contains(repositoryWithinOrg);
    }

    public Team withMember(String member, boolean present) {
        Set<String> next = new TreeSet<>(members);
        if (present) {
            next.add(member);
        } else {
            next.remove(member);
        }
        return new Team(org, name, role, description, next, repositories, createdAt);
    }

    public Team withSettings(Role newRole, String newDescription, Set<String> newRepositories) {
        return new Team(org, name, newRole, newDescription, members, newRepositories, createdAt);
    }
}
