package dev.registrymesh.index.console.web;

import dev.registrymesh.index.access.Caller;

/** The visitor of a console page: who (anonymous too), and the token its forms must carry. */
public record Me(Caller caller, String csrf) {
    public static final Me ANONYMOUS = new Me(Caller.ANONYMOUS, "");

    public boolean signedIn() {
        return !caller.anonymous();
    }

    public String name() {
        return caller.subject() == null ? "" : caller.subject();
    }

    public boolean admin() {
        return caller.admin();
    }

    /** Signed in with a personal access token: what the console allows is what the token allows. */
    public boolean withToken() {
        return caller.token() != null;
    }
}
