package dev.registrymesh.index.api;

import dev.registrymesh.common.LogSafe;
import dev.registrymesh.common.auth.LoginThrottle;
import dev.registrymesh.index.access.Authenticator;
import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.config.MeshConfig;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns an Authorization header (Basic user:secret, or Bearer personal-token) into a {@link Caller}. Guessing
 * is slowed down as on auth-service's /token, with the same {@link LoginThrottle}: per account and per client
 * address, answering 429 with Retry-After while a caller must wait.
 */
@ApplicationScoped
public class CallerResolver {
    private static final Logger LOG = Logger.getLogger(CallerResolver.class);

    @Inject
    Authenticator authenticator;
    @Inject
    MeshConfig config;
    @Inject
    CurrentVertxRequest request;

    private LoginThrottle throttle;

    @PostConstruct
    void init() {
        MeshConfig.Throttle t = config.index().throttle();
        throttle = new LoginThrottle(new LoginThrottle.Settings(t.accountFreeFailures(), t.addressFreeFailures(), t.baseDelay(),
                t.accountMaxDelay(), t.addressMaxDelay(), t.forgetAfter()), Clock.systemUTC());
    }

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
                return throttled(username, () -> authenticator.authenticate(username, secret));
            case "bearer":
                return throttled(null, () -> authenticator.bearer(value));
            default:
                throw ApiException.unauthorized("unsupported authorization scheme: " + scheme);
        }
    }

    private interface Check {
        Caller run();
    }

    private Caller throttled(String account, Check check) {
        String address = clientAddress();
        Optional<Duration> wait = throttle.retryAfter(account, address);
        if (wait.isPresent()) {
            throw ApiException.tooManyRequests("too many failed sign-ins, retry later", wait.get());
        }
        try {
            Caller caller = check.run();
            throttle.success(account, address);
            return caller;
        } catch (ApiException e) {
            if (e.status() == 401) {
                throttle.failure(account, address);
                LOG.infof("failed sign-in%s from %s", account == null ? " with a bearer token" : " for " + LogSafe.escape(account),
                        LogSafe.escape(address));
            }
            throw e;
        }
    }

    /** The peer address (Quarkus rewrites it from X-Forwarded-For only when proxy forwarding is configured). */
    private String clientAddress() {
        RoutingContext ctx = request.getCurrent();
        var address = ctx == null ? null : ctx.request().remoteAddress();
        return address == null ? "unknown" : address.host();
    }
}
