package dev.registrymesh.auth.token;

import dev.registrymesh.auth.index.Identity;
import dev.registrymesh.auth.index.IndexClient;
import dev.registrymesh.auth.index.IndexException;
import dev.registrymesh.common.LogSafe;
import dev.registrymesh.common.auth.Access;
import dev.registrymesh.common.auth.LoginThrottle;
import dev.registrymesh.common.auth.Scopes;
import dev.registrymesh.common.auth.TokenVerification;
import dev.registrymesh.common.auth.TokenVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The token endpoint's logic, free of HTTP: who is calling (credentials, refresh token or nobody), what they
 * may do (index-service), and the signed answer. Refresh tokens are not rotated: the one that came in goes
 * back out, because Docker stores it once at login and breaks when it changes.
 */
public final class TokenService {
    private static final Logger LOG = Logger.getLogger(TokenService.class);
    public static final Duration MIN_TTL = Duration.ofSeconds(60);

    private final IndexClient index;
    private final TokenIssuer issuer;
    private final TokenVerifier refreshVerifier;
    private final LoginThrottle throttle;
    private final Duration tokenTtl;
    private final Duration refreshTtl;
    private final Clock clock;

    public TokenService(IndexClient index, TokenIssuer issuer, TokenVerifier refreshVerifier, LoginThrottle throttle,
                        Duration tokenTtl, Duration refreshTtl, Clock clock) {
        this.index = index;
        this.issuer = issuer;
        this.refreshVerifier = refreshVerifier;
        this.throttle = throttle;
        this.tokenTtl = tokenTtl.compareTo(MIN_TTL) < 0 ? MIN_TTL : tokenTtl;
        this.refreshTtl = refreshTtl;
        this.clock = clock;
    }

    public TokenResponse issue(TokenRequest request) {
        if (request.service() == null || request.service().isBlank()) {
            throw TokenError.badRequest("the service parameter is required");
        }
        Identity identity = identify(request);
        List<Access> granted;
        try {
            // A refresh token is checked against the sign-in it came from (its binding), even when it asks for nothing;
            // a fresh sign-in has just been checked, and its binding only goes into the refresh token it may get.
            Identity asking = request.grant() == TokenRequest.Grant.REFRESH_TOKEN ? identity : identity.unbound();
            boolean ask = !request.scopes().isEmpty() || asking.binding() != null;
            granted = ask ? Grants.intersect(request.scopes(), index.authorize(asking, request.scopes())) : List.of();
        } catch (IndexException e) {
            throw indexFailure(e, "credential no longer valid");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String access = issuer.accessToken(identity.subject(), request.service(), granted, now, tokenTtl);
        String refresh = null;
        if (request.grant() == TokenRequest.Grant.REFRESH_TOKEN) {
            refresh = request.refreshToken();
        } else if (request.offline() && !identity.anonymous()) {
            refresh = issuer.refreshToken(identity.subject(), identity.credential(), identity.binding(), now, refreshTtl);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debugf("token for %s on %s: %s", identity.anonymous() ? "anonymous" : LogSafe.escape(identity.subject()),
                    LogSafe.escape(request.service()), granted);
        }
        return new TokenResponse(access, access, tokenTtl.toSeconds(), DateTimeFormatter.ISO_INSTANT.format(now), refresh,
                Scopes.join(granted), granted);
    }

    private Identity identify(TokenRequest request) {
        if (request.grant() == TokenRequest.Grant.REFRESH_TOKEN) {
            return fromRefreshToken(request);
        }
        if (request.username() == null) {
            if (request.grant() == TokenRequest.Grant.PASSWORD) {
                throw TokenError.badRequest("grant_type=password needs username and password");
            }
            return Identity.ANONYMOUS;
        }
        Optional<Duration> wait = throttle.retryAfter(request.username(), request.clientAddress());
        if (wait.isPresent()) {
            throw TokenError.tooManyRequests(wait.get());
        }
        try {
            String password = request.password() == null ? "" : request.password();
            Identity identity = request.offline() ? index.authenticateAfresh(request.username(), password)
                    : index.authenticate(request.username(), password);
            throttle.success(request.username(), request.clientAddress());
            return identity;
        } catch (IndexException e) {
            if (e.kind() == IndexException.Kind.UNAUTHORIZED) {
                throttle.failure(request.username(), request.clientAddress());
                LOG.infof("failed login for %s from %s", LogSafe.escape(request.username()), LogSafe.escape(request.clientAddress()));
            }
            throw indexFailure(e, "invalid username or password");
        }
    }

    private Identity fromRefreshToken(TokenRequest request) {
        Optional<Duration> wait = throttle.retryAfter(null, request.clientAddress());
        if (wait.isPresent()) {
            throw TokenError.tooManyRequests(wait.get());
        }
        String token = request.refreshToken();
        TokenVerification v = token == null ? null : refreshVerifier.verify(token, issuer.refreshAudience());
        if (v == null || !v.isValid() || !"refresh".equals(v.claims().get(TokenIssuer.TOKEN_USE)) || v.subject() == null) {
            throttle.failure(null, request.clientAddress());
            throw TokenError.unauthorized("invalid refresh token" + (v == null || v.isValid() ? "" : ": " + v.failure()));
        }
        Object credential = v.claims().get(TokenIssuer.CREDENTIAL);
        Object binding = v.claims().get(TokenIssuer.BINDING);
        if (credential == null || !(binding instanceof String bound) || bound.isEmpty()) {
            // Issued before refresh tokens were bound to their account and credential: it cannot be checked.
            throttle.failure(null, request.clientAddress());
            throw TokenError.unauthorized("invalid refresh token: sign in again");
        }
        return new Identity(v.subject(), credential.toString(), false, bound);
    }

    private static TokenError indexFailure(IndexException e, String unauthorizedMessage) {
        if (e.kind() == IndexException.Kind.UNAUTHORIZED) {
            return TokenError.unauthorized(unauthorizedMessage);
        }
        if (e.kind() == IndexException.Kind.TOO_MANY_REQUESTS) {
            return new TokenError(429, dev.registrymesh.common.ErrorCode.TOOMANYREQUESTS.name(),
                    "the account service is busy, retry shortly", e.retryAfter());
        }
        LOG.warnf("index-service unavailable: %s", e.getMessage());
        return TokenError.unavailable("account service unavailable");
    }

    public Duration tokenTtl() {
        return tokenTtl;
    }
}
