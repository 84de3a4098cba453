package dev.registrymesh.index.account;

import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.model.Org;
import dev.registrymesh.index.model.Robot;
import dev.registrymesh.index.model.Role;
import dev.registrymesh.index.model.Team;
import dev.registrymesh.index.store.IndexStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Organizations, their owners, teams and team members. Owners (and admins) manage all of it. */
@ApplicationScoped
public class OrgService {
    @Inject
    IndexStore store;
    @Inject
    NamespaceRelease namespaces;

    Clock clock = Clock.systemUTC();

    public Org create(Caller caller, String name) {
        Guards.requireAccountManager(caller);
        NamePolicy.requireNamespace(name);
        if (store.users().get(name).isPresent() || store.orgs().get(name).isPresent()) {
            throw ApiException.conflict("the namespace '" + name + "' is taken");
        }
        namespaces.requireClaimable(name);
        Org org = new Org(name, Set.of(caller.subject()), clock.instant());
        if (!store.orgs().putIfAbsent(name, org)) {
            throw ApiException.conflict("the namespace '" + name + "' is taken");
        }
        return org;
    }

    public Org get(String name) {
        return store.orgs().get(name).orElseThrow(() -> ApiException.notFound("no such organization: " + name));
    }

    /** True for owners, team members (users and the org's robots) and admins: they see the org's inside. */
    public boolean isMember(Caller caller, Org org) {
        if (caller.anonymous()) {
            return false;
        }
        if (caller.admin() || org.owners().contains(caller.subject())) {
            return true;
        }
        return teams(org.name()).stream().anyMatch(t -> t.members().contains(caller.subject()));
    }

    public List<Org> list(Caller caller) {
        Guards.requireSignedIn(caller);
        return store.orgs().all().stream().filter(o -> isMember(caller, o)).sorted(Comparator.comparing(Org::name)).toList();
    }

    /** The org, when {@code caller} may manage it (owner or admin); 404/403 otherwise. */
    public Org requireOwner(Caller caller, String name) {
        Guards.requireAccountManager(caller);
        Org org = get(name);
        if (!caller.admin() && !org.owners().contains(caller.subject())) {
            throw ApiException.denied("only owners of '" + name + "' may do this");
        }
        return org;
    }

    /** Removes the organization with everything it owned (repositories, teams, robots); its name is released. */
    public void delete(Caller caller, String name) {
        requireOwner(caller, name);
        namespaces.release(name);
        for (Team team : teams(name)) {
            store.teams().delete(team.key());
        }
        for (Robot robot : store.robots().all()) {
            if (robot.namespace().equals(name)) {
                store.robots().delete(robot.fullName());
            }
        }
        store.orgs().delete(name);
    }

    public Org setOwner(Caller caller, String org, String user, boolean owner) {
        Org current = requireOwner(caller, org);
        if (owner) {
            if (store.users().get(user).isEmpty()) {
                throw ApiException.notFound("no such user: " + user);
            }
        } else {
            if (!current.owners().contains(user)) {
                throw ApiException.notFound("'" + user + "' is not an owner of '" + org + "'");
            }
            if (current.owners().size() == 1) {
                throw ApiException.conflict("an organization needs at least one owner");
            }
        }
        return store.orgs().update(org, o -> o.withOwner(user, owner)).orElseThrow();
    }

    public List<Team> teams(String org) {
        return store.teams().all().stream().filter(t -> t.org().equals(org)).sorted(Comparator.comparing(Team::name)).toList();
    }

    public List<Team> teams(Caller caller, String org) {
        Org o = get(org);
        if (!isMember(caller, o)) {
            throw caller.anonymous() ? ApiException.unauthorized("sign in to see teams") : ApiException.denied("members of '" + org + "' only");
        }
        return teams(org);
    }

    public Team team(Caller caller, String org, String name) {
        teams(caller, org);
        return store.teams().get(Team.key(org, name)).orElseThrow(() -> ApiException.notFound("no such team: " + org + "/" + name));
    }

    public Team createTeam(Caller caller, String org, String name, Role role, String description, Set<String> repositories) {
        requireOwner(caller, org);
        NamePolicy.requireComponent(name, "team");
        Team team = new Team(org, name, role == null ? Role.PULL : role, description == null ? "" : description, Set.of(),
                repositories, clock.instant());
        if (!store.teams().putIfAbsent(team.key(), team)) {
            throw ApiException.conflict("team '" + name + "' exists in '" + org + "'");
        }
        return team;
    }

    public Team updateTeam(Caller caller, String org, String name, Role role, String description, Set<String> repositories) {
        requireOwner(caller, org);
        return store.teams().update(Team.key(org, name), t -> t.withSettings(role == null ? t.role() : role,
                        description == null ? t.description() : description, repositories == null ? t.repositories() : repositories))
                .orElseThrow(() -> ApiException.notFound("no such team: " + org + "/" + name));
    }

    public void deleteTeam(Caller caller, String org, String name) {
        requireOwner(caller, org);
        if (!store.teams().delete(Team.key(org, name))) {
            throw ApiException.notFound("no such team: " + org + "/" + name);
        }
    }

    /** Adds or removes a member: a user, or one of this org's robots ({@code org+name}). */
    public Team setMember(Caller caller, String org, String team, String member, boolean present) {
        requireOwner(caller, org);
        Team current = store.teams().get(Team.key(org, team)).orElseThrow(() -> ApiException.notFound("no such team: " + org + "/" + team));
        if (present) {
            boolean known = member.indexOf(Robot.SEPARATOR) > 0
                    ? member.startsWith(org + Robot.SEPARATOR) && store.robots().get(member).isPresent()
                    : store.users().get(member).isPresent();
            if (!known) {
                throw ApiException.notFound("no such user, or no such robot of '" + org + "': " + member);
            }
        } else if (!current.members().contains(member)) {
            throw ApiException.notFound("'" + member + "' is not in team " + org + "/" + team);
        }
        return store.teams().update(current.key(), t -> t.withMember(member, present)).orElseThrow();
    }
}
