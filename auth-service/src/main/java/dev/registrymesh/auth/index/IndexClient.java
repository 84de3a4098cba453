package dev.registrymesh.auth.index;

import dev.registrymesh.common.auth.Access;
import java.util.List;

/** index-service's internal authenticate/authorize API (contract 1); auth-service keeps no accounts itself. */
public interface IndexClient {

    /** @throws IndexException UNAUTHORIZED for bad credentials, UNAVAILABLE when index-service cannot answer */
    Identity authenticate(String username, String password);

    /**
     * As {@link #authenticate}, never from a cache: for a sign-in that yields a refresh token, whose binding must be
     * the account's current one (a cached answer from before a sign-out would make a refresh token dead on arrival).
     */
    default Identity authenticateAfresh(String username, String password) {
        return authenticate(username, password);
    }

    /** What the identity may do of {@code requested}. @throws IndexException UNAUTHORIZED when the credential was revoked */
    List<Access> authorize(Identity identity, List<Access> requested);
}
