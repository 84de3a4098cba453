package dev.registrymesh.index.access;

import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.index.model.Action;
import dev.registrymesh.index.model.Org;
import dev.registrymesh.index.model.RepositoryRecord;
import dev.registrymesh.index.model.Robot;
import dev.registrymesh.index.model.Team;
import dev.registrymesh.index.store.IndexStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The grant rules: what a caller may do to one repository (existing or not yet), named exactly as the token
 * will name it: a {@link RepositoryName}, whose first component is its namespace (a dotted one too).
 * <ul>
 * <li>public repositories: pull for anyone, anonymous included;</li>
 * <li>admins: everything, but content goes only into namespaces that exist (a user, an organization, or
 *     {@code library}, writable by admins only), so that no name holds content nobody owns, which a later
 *     account of that name would get;</li>
 * <li>the owner of a namespace (the user of that name, or an owner of the org of that name): pull, push, delete;</li>
 * <li>org teams: their role on all the org's repositories, or on the ones they list;</li>
 * <li>robots: their role in their own namespace, plus their teams';</li>
 * <li>a personal access token never gives more than its actions and repository list.</li>
 * </ul>
 * Decisions are cached per caller and repository until the store changes.
 */
@ApplicationScoped
public class Permissions {
    private static final String OFFICIAL_NAMESPACE = "library";

    @Inject
    IndexStore store;
    @Inject
    AccessCache cache;

    public Set<Action> on(Caller caller, String repository) {
        if (!RepositoryName.isValid(repository)) {
            return Set.of();
        }
        String key = caller.subject() + '\0' + caller.credential() + '\0' + repository;
        return cache.decisions().get(key, k -> compute(caller, RepositoryName.of(repository)));
    }

    public boolean can(Caller caller, String repository, Action action) {
        return on(caller, repository).contains(action);
    }

    private Set<Action> compute(Caller caller, RepositoryName name) {
        String repository = name.path();
        String namespace = name.namespace();
        if (namespace == null) {
            // A one-part name belongs to no account (like the official namespace): only admins, with full scope.
            return caller.admin() && caller.token() == null ? Action.REPOSITORY_ALL : Set.of();
        }
        String within = name.withinNamespace();
        EnumSet<Action> perms = EnumSet.noneOf(Action.class);
        Optional<RepositoryRecord> repo = store.repositories().get(repository);
        if (repo.isPresent() && repo.get().isPublic()) {
            perms.add(Action.PULL);
        }
        if (caller.anonymous()) {
            return Set.copyOf(perms);
        }
        if (caller.admin()) {
            perms.addAll(Action.REPOSITORY_ALL);
        } else if (caller.robot()) {
            store.robots().get(caller.subject())
                    .filter(r -> r.namespace().equals(namespace))
                    .map(Robot::role)
                    .ifPresent(role -> perms.addAll(role.actions()));
            addTeamRoles(perms, caller.subject(), namespace, within);
        } else if (ownsNamespace(caller.subject(), namespace)) {
            perms.addAll(Action.REPOSITORY_ALL);
        } else {
            addTeamRoles(perms, caller.subject(), namespace, within);
        }
        if (!namespaceExists(namespace)) {
            perms.remove(Action.PUSH);
            perms.remove(Action.DELETE);
        }
        if (caller.token() != null) {
            perms.retainAll(caller.token().actions());
            if (!caller.token().reaches(repository)) {
                perms.clear();
            }
        }
        return perms.isEmpty() ? Set.of() : Set.copyOf(perms);
    }

    /** A user, an organization, or the official namespace. */
    public boolean namespaceExists(String namespace) {
        return OFFICIAL_NAMESPACE.equals(namespace) || store.users().get(namespace).isPresent()
                || store.orgs().get(namespace).isPresent();
    }

    /** True when {@code user} is the namespace's user or one of its org's owners. */
    public boolean ownsNamespace(String user, String namespace) {
        if (user == null) {
            return false;
        }
        if (user.equals(namespace)) {
            return store.users().get(user).isPresent();
        }
        return store.orgs().get(namespace).map(Org::owners).map(o -> o.contains(user)).orElse(false);
    }

    private void addTeamRoles(EnumSet<Action> perms, String member, String org, String within) {
        for (Team team : store.teams().all()) {
            if (team.org().equals(org) && team.members().contains(member) && team.covers(within)) {
                perms.addAll(team.role().actions());
            }
        }
    }
}
