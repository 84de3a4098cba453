package dev.registrymesh.index.account;

import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.access.Permissions;
import dev.registrymesh.index.access.Secrets;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.model.Robot;
import dev.registrymesh.index.model.Role;
import dev.registrymesh.index.model.Team;
import dev.registrymesh.index.store.IndexStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;

/** Robot accounts of a namespace, managed by the namespace's owners. Secrets are returned once, kept hashed. */
@ApplicationScoped
public class RobotService {
    @Inject
    IndexStore store;
    @Inject
    Permissions permissions;

    Clock clock = Clock.systemUTC();

    /** A robot with the secret that was just generated for it. */
    public record Created(Robot robot, String secret) {
    }

    private void requireOwner(Caller caller, String namespace) {
        Guards.requireAccountManager(caller);
        if (store.users().get(namespace).isEmpty() && store.orgs().get(namespace).isEmpty()) {
            throw ApiException.notFound("no such namespace: " + namespace);
        }
        if (!caller.admin() && !permissions.ownsNamespace(caller.subject(), namespace)) {
            throw ApiException.denied("only the owners of '" + namespace + "' manage its robots");
        }
    }

    public Created create(Caller caller, String namespace, String name, Role role) {
        requireOwner(caller, namespace);
        Guards.requireUnlimitedCredential(caller, "create robot accounts");
        NamePolicy.requireComponent(name, "robot");
        String secret = Secrets.random(32);
        Robot robot = new Robot(namespace, name, role == null ? Role.PULL : role, Secrets.sha256(secret), clock.instant());
        if (!store.robots().putIfAbsent(robot.fullName(), robot)) {
            throw ApiException.conflict("robot '" + robot.fullName() + "' exists");
        }
        return new Created(robot, secret);
    }

    public List<Robot> list(Caller caller, String namespace) {
        requireOwner(caller, namespace);
        return store.robots().all().stream().filter(r -> r.namespace().equals(namespace))
                .sorted(Comparator.comparing(Robot::name)).toList();
    }

    public Robot get(Caller caller, String namespace, String name) {
        requireOwner(caller, namespace);
        return store.robots().get(Robot.fullName(namespace, name))
                .orElseThrow(() -> ApiException.notFound("no such robot: " + Robot.fullName(namespace, name)));
    }

    /** A new secret; the old one stops working at once. */
    public Created regenerate(Caller caller, String namespace, String name) {
        requireOwner(caller, namespace);
        Guards.requireUnlimitedCredential(caller, "make robot secrets");
        String secret = Secrets.random(32);
        Robot robot = store.robots().update(Robot.fullName(namespace, name), r -> r.withSecretHash(Secrets.sha256(secret)))
                .orElseThrow(() -> ApiException.notFound("no such robot: " + Robot.fullName(namespace, name)));
        return new Created(robot, secret);
    }

    public void delete(Caller caller, String namespace, String name) {
        requireOwner(caller, namespace);
        String full = Robot.fullName(namespace, name);
        if (!store.robots().delete(full)) {
            throw ApiException.notFound("no such robot: " + full);
        }
        for (Team team : store.teams().all()) {
            if (team.members().contains(full)) {
                store.teams().update(team.key(), t -> t.withMember(full, false));
            }
        }
    }
}
