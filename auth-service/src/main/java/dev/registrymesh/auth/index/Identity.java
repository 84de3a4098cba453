package dev.registrymesh.auth.index;

/**
 * Who a caller is, as index-service's authenticate answered: the subject and the credential used
 * ({@code password}, {@code pat:<id>} or {@code robot:<name>}); authorize needs both, because a scoped
 * credential never grants more than its scopes.
 */
public record Identity(String subject, String credential, boolean admin) {
    public static final Identity ANONYMOUS = new Identity(null, null, false);

    public boolean anonymous() {
        return subject == null;
    }
}
