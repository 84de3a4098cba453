package dev.registrymesh.auth.index;

/**
 * Who a caller is, as index-service's authenticate answered: the subject and the credential used
 * ({@code password}, {@code pat:<id>} or {@code robot:<name>}); authorize needs both, because a scoped
 * credential never grants more than its scopes. {@code binding} is index-service's stamp of the account and
 * credential (it changes when the password changes, the secret is rotated, the account is deleted and made
 * again, or the user signs out everywhere); refresh tokens carry it and every refresh is checked against it.
 */
public record Identity(String subject, String credential, boolean admin, String binding) {
    public static final Identity ANONYMOUS = new Identity(null, null, false, null);

    /** The same caller without a binding to check. */
    public Identity unbound() {
        return binding == null ? this : new Identity(subject, credential, admin, null);
    }

    public boolean anonymous() {
        return subject == null;
    }
}
