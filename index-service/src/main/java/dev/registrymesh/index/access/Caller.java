package dev.registrymesh.index.access;

import dev.registrymesh.index.model.AccessToken;

/**
 * Who is calling, once their credential checked out.
 *
 * @param subject    user name, robot name ({@code ns+robot}) or null for anonymous
 * @param credential {@code password}, {@code pat:<id>}, {@code robot:<name>} or null
 * @param token      the personal access token used, if any (its scopes bound every decision)
 */
public record Caller(String subject, String credential, boolean admin, Kind kind, AccessToken token) {
    public enum Kind { ANONYMOUS, USER, ROBOT }

    public static final Caller ANONYMOUS = new Caller(null, null, false, Kind.ANONYMOUS, null);

    public boolean anonymous() {
        return kind == Kind.ANONYMOUS;
    }

    public boolean robot() {
        return kind == Kind.ROBOT;
    }
}
