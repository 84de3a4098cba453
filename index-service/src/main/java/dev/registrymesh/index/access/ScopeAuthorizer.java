package dev.registrymesh.index.access;

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
        // The name is taken exactly as asked, because it is exactly what the token will carry and the registry will
        // act on: nothing in it is read as a registry host.
        Set<Action> allowed = permissions.on(caller, scope.name());
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

    private static boolean isRepositoryAction(String action) {
        return "pull".equals(action) || "push".equals(action) || "delete".equals(action);
    }
}
