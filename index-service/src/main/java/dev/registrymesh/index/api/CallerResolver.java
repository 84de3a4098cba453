package dev.registrymesh.index.api;

import dev.registrymesh.index.access.Authenticator;
import dev.registrymesh.index.access.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** Turns an Authorization header (Basic user:secret, or Bearer personal-token) into a {@link Caller}. */
@ApplicationScoped
public class CallerResolver {
    @Inject
    Authenticator authenticator;

    /** Anonymous when there is no header; 401 when there is one that does not check out. */
    public Caller resolve(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Caller.ANONYMOUS;
        }
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        String value = space < 0 ? "" : authorization.substring(space + 1).trim();
        switch (scheme.toLowerCase(Locale.ROOT)) {
            case "basic":
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw ApiException.unauthorized("malformed Basic credentials");
                }
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    throw ApiException.unauthorized("malformed Basic credentials");
                }
                return authenticator.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1));
            case "bearer":
                return authenticator.bearer(value);
            default:
                throw ApiException.unauthorized("unsupported authorization scheme: " + scheme);
        }
    }
}
