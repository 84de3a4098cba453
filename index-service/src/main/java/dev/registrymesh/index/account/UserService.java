package dev.registrymesh.index.account;

import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.access.Secrets;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.config.MeshConfig;
import dev.registrymesh.index.model.AccessToken;
import dev.registrymesh.index.model.Org;
import dev.registrymesh.index.model.Robot;
import dev.registrymesh.index.model.Team;
import dev.registrymesh.index.model.User;
import dev.registrymesh.index.store.IndexStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;

/** User accounts: sign-up (admins, or anyone when open sign-up is on), profile, password, admin flag, removal. */
@ApplicationScoped
public class UserService {
    @Inject
    IndexStore store;
    @Inject
    MeshConfig config;
    @Inject
    NamespaceRelease namespaces;

    Clock clock = Clock.systemUTC();

    public User create(Caller caller, String name, String password, String email, boolean admin) {
        if (!config.index().openSignup() || admin) {
            Guards.requireAdmin(caller);
        }
        NamePolicy.requireNamespace(name);
        NamePolicy.requirePassword(password);
        if (store.orgs().get(name).isPresent() || store.users().get(name).isPresent()) {
            throw ApiException.conflict("the namespace '" + name + "' is taken");
        }
        namespaces.requireClaimable(name);
        User user = new User(name, Secrets.hashPassword(password), admin, email, clock.instant());
        if (!store.users().putIfAbsent(name, user)) {
            throw ApiException.conflict("the namespace '" + name + "' is taken");
        }
        return user;
    }

    /** Creates a user without a caller: the admin bootstrap. False when the name exists. */
    public boolean bootstrap(String name, String password) {
        if (store.users().get(name).isPresent()) {
            return false;
        }
        return store.users().putIfAbsent(name, new User(name, Secrets.hashPassword(password), true, null, clock.instant()));
    }

    public User get(String name) {
        return store.users().get(name).orElseThrow(() -> ApiException.notFound("no such user: " + name));
    }

    public boolean exists(String name) {
        return store.users().get(name).isPresent();
    }

    public boolean isSelfOrAdmin(Caller caller, String name) {
        return !caller.anonymous() && (caller.admin() || name.equals(caller.subject())) && !caller.robot();
    }

    public List<User> list(Caller caller) {
        Guards.requireAdmin(caller);
        return store.users().all().stream().sorted(Comparator.comparing(User::name)).toList();
    }

    public User update(Caller caller, String name, String password, String email, Boolean admin) {
        Guards.requireAccountManager(caller);
        if (!caller.admin() && !name.equals(caller.subject())) {
            throw ApiException.denied("you may only change your own account");
        }
        if (admin != null && !caller.admin()) {
            throw ApiException.denied("only administrators change the admin flag");
        }
        if (password != null) {
            NamePolicy.requirePassword(password);
            // A new password is a new credential: a token limited in repositories or time may not make one.
            Guards.requireUnlimitedCredential(caller, "change the password");
        }
        String hash = password == null ? null : Secrets.hashPassword(password);
        return store.users().update(name, u -> new User(u.name(), hash == null ? u.passwordHash() : hash,
                        admin == null ? u.admin() : admin, email == null ? u.email() : email, u.createdAt(), u.sessionEpoch()))
                .orElseThrow(() -> ApiException.notFound("no such user: " + name));
    }

    /**
     * Sign out everywhere: every refresh token of the account (docker login sessions, whatever credential they came
     * from) stops working at once. Passwords, personal access tokens and registry tokens already issued are untouched.
     */
    public User signOutEverywhere(Caller caller, String name) {
        Guards.requireAccountManager(caller);
        if (!caller.admin() && !name.equals(caller.subject())) {
            throw ApiException.denied("you may only sign yourself out");
        }
        return store.users().update(name, User::signedOutEverywhere)
                .orElseThrow(() -> ApiException.notFound("no such user: " + name));
    }

    /**
     * Removes the account with everything it owned: the content and records of its repositories (the registry's
     * collection reclaims the bytes), its tokens, its robots and its memberships. Its name is released.
     */
    public void delete(Caller caller, String name) {
        Guards.requireAccountManager(caller);
        if (!caller.admin() && !name.equals(caller.subject())) {
            throw ApiException.denied("you may only delete your own account");
        }
        User user = get(name);
        if (user.admin() && store.users().all().stream().filter(User::admin).count() <= 1) {
            throw ApiException.conflict("cannot delete the last administrator");
        }
        for (Org org : store.orgs().all()) {
            if (org.owners().contains(name)) {
                if (org.owners().size() == 1) {
                    throw ApiException.conflict("'" + name + "' is the last owner of organization '" + org.name() + "'");
                }
            }
        }
        namespaces.release(name);
        store.users().delete(name);
        for (Org org : store.orgs().all()) {
            if (org.owners().contains(name)) {
                store.orgs().update(org.name(), o -> o.withOwner(name, false));
            }
        }
        for (Team team : store.teams().all()) {
            if (team.members().contains(name)) {
                store.teams().update(team.key(), t -> t.withMember(name, false));
            }
        }
        for (AccessToken token : store.tokens().all()) {
            if (token.owner().equals(name)) {
                store.tokens().delete(token.id());
            }
        }
        for (Robot robot : store.robots().all()) {
            if (robot.namespace().equals(name)) {
                store.robots().delete(robot.fullName());
            }
        }
    }
}
