package dev.registrymesh.index.account;

import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.model.AccessToken;
import dev.registrymesh.index.model.Action;
import java.util.EnumSet;

/** The checks every account operation starts with. */
public final class Guards {
    private Guards() {
    }

    public static void requireSignedIn(Caller caller) {
        if (caller.anonymous()) {
            throw ApiException.unauthorized("sign in with Basic credentials or a bearer token");
        }
    }

    /** Account changes need a person: not a robot, and not a token without the admin action. */
    public static void requireAccountManager(Caller caller) {
        requireSignedIn(caller);
        if (caller.robot()) {
            throw ApiException.denied("robot accounts cannot manage accounts");
        }
        if (caller.token() != null && !caller.token().actions().contains(Action.ADMIN)) {
            throw ApiException.denied("this token lacks the admin action needed to manage accounts");
        }
    }

    /**
     * For what makes a credential that the caller's own one does not bound (a password, a robot secret): a personal
     * access token may do it only when it is itself unbounded (every action, every repository, no expiry).
     */
    public static void requireUnlimitedCredential(Caller caller, String what) {
        AccessToken t = caller.token();
        if (t != null && (!t.repositories().isEmpty() || t.expiresAt() != null || !t.actions().containsAll(EnumSet.allOf(Action.class)))) {
            throw ApiException.denied("a personal access token limited in actions, repositories or time cannot " + what);
        }
    }

    public static void requireAdmin(Caller caller) {
        requireAccountManager(caller);
        if (!caller.admin()) {
            throw ApiException.denied("administrators only");
        }
    }
}
