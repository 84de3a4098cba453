package dev.registrymesh.index.api;

import dev.registrymesh.index.access.Authenticator;
import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.access.SignInThrottle;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Turns an Authorization header (Basic user:secret, or Bearer personal-token) into a {@link Caller}. Guessing
 * is slowed down by the node's one {@link SignInThrottle}, which the console's sign-in form shares.
 */
@ApplicationScoped
public class CallerResolver {
    @Inject
    Authenticator authenticator;
    @Inject
    SignInThrottle throttle;
    @Inject
    CurrentVertxRequest request;

    /** Anonymous when there is no header; 401 when there is one that does not check out; 429 while throttled. */
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
                String username = decoded.substring(0, colon);
                String secret = decoded.substring(colon + 1);
                return throttle.attempt(username, clientAddress(), () -> authenticator.authenticate(username, secret));
            case "bearer":
                return throttle.attempt(null, clientAddress(), () -> authenticator.bearer(value));
            default:
                throw ApiException.unauthorized("unsupported authorization scheme: " + scheme);
        }
    }

    /** The peer address (Quarkus rewrites it from X-Forwarded-For only when proxy forwarding is configured). */
    public String clientAddress() {
        RoutingContext ctx = request.getCurrent();
        var address = ctx == null ? null : ctx.request().remoteAddress();
        return address == null ? "unknown" : address.host();
    }
}
