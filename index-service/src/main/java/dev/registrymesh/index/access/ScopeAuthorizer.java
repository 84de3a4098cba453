package dev.registrymesh.index.access;

import dev.registrymesh.common.ImageReference;
import dev.registrymesh.common.Names;
import dev.registrymesh.common.OciException;
import dev.registrymesh.index.model.Action;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Answers auth-service's question: of the scopes a client asked a token for, which actions does it get?
 * One entry per requested scope, same order; unknown types, bad names and denied actions give empty lists.
 */
@ApplicationScoped
public class ScopeAuthorizer {
    @Inject
    Permissions permissions;
    @Inject
    AccessCache cache;

    public record Scope(String type, String name, List<String> actions) {
    }

    public List<Scope> authorize(Caller caller, List<Scope> requested) {
        List<Scope> granted = new ArrayList<>(requested.size());
        for (Scope scope : requested) {
            granted.add(new Scope(scope.type(), scope.name(), grant(caller, scope)));
        }
        return granted;
    }

    private List<String> grant(Caller caller, Scope scope) {
        List<String> asked = scope.actions() == null ? List.of() : scope.actions();
        if ("registry".equals(scope.type())) {
            // The catalog lists every repository: admins only.
            return "catalog".equals(scope.name()) && caller.admin() && caller.token() == null ? List.copyOf(asked) : List.of();
        }
        if (!"repository".equals(scope.type()) || scope.name() == null) {
            return List.of();
        }
        Set<Action> allowed = allowed(caller, scope.name());
        Set<String> out = new LinkedHashSet<>();
        for (String action : asked) {
            if ("*".equals(action)) {
                for (Action a : List.of(Action.PULL, Action.PUSH, Action.DELETE)) {
                    if (allowed.contains(a)) {
                        out.add(a.id());
                    }
                }
            } else if (isRepositoryAction(action) && allowed.contains(Action.of(action))) {
                out.add(action);
            }
        }
        return List.copyOf(out);
    }

    /** What the caller may do on the repository a scope names; cached under the raw name, so a hit parses nothing. */
    private Set<Action> allowed(Caller caller, String scopeName) {
        String key = caller.subject() + '\0' + caller.credential() + '\0' + scopeName;
        return cache.scopes().get(key, k -> {
            String repository = stripHost(scopeName);
            if (!Names.isValidRepository(repository)) {
                return Set.of();
            }
            // Names without a namespace belong to no account: only admins reach them.
            return repository.contains("/") ? permissions.on(caller, repository)
                    : caller.admin() && caller.token() == null ? Action.REPOSITORY_ALL : Set.of();
        });
    }

    private static boolean isRepositoryAction(String action) {
        return "pull".equals(action) || "push".equals(action) || "delete".equals(action);
    }

    /** A scope name may carry one {@code host[:port]/} prefix (the registry's own address): common's parser finds it. */
    static String stripHost(String name) {
        try {
            String prefix = ImageReference.parse(name).registry() + "/";
            return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
        } catch (OciException invalid) {
            // Left as it is: the repository-name check that follows refuses it.
            return name;
        }
    }
}
