package dev.registrymesh.registry.auth;

import dev.registrymesh.common.ErrorBody;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.common.auth.Access;
import dev.registrymesh.common.auth.JwksCache;
import dev.registrymesh.common.auth.TokenFailure;
import dev.registrymesh.common.auth.TokenVerification;
import dev.registrymesh.common.auth.TokenVerifier;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Demands a bearer token on every /v2 request (when {@code mesh.auth.enabled}) and checks it locally with the
 * shared {@link TokenVerifier}. Runs before every other route; on success the subject goes into the routing
 * context under {@value #SUBJECT_KEY} (absent for anonymous tokens) and the request continues.
 *
 * <p>Verification normally stays on the event loop (keys are cached). Only when keys must be fetched (first
 * request, unknown kid, stale cache) does it move to a worker thread, with the request paused meanwhile so
 * no body bytes are lost before the next handler is attached.
 */
@ApplicationScoped
public class TokenAuthFilter {
    public static final String SUBJECT_KEY = "mesh.subject";
    private static final Logger LOG = Logger.getLogger(TokenAuthFilter.class);

    private final RegistryAuthConfig config;
    private final TokenVerifier verifier;

    public TokenAuthFilter(RegistryAuthConfig config) {
        this.config = config;
        JwksCache keys = JwksCache.fromUrl(config.jwksUrl(), config.jwksMinRefetch(), config.jwksMaxAge());
        this.verifier = new TokenVerifier(keys, config.issuer(), (int) config.clockSkew().toSeconds(), Clock.systemUTC());
    }

    void init(@Observes Router router) {
        if (!config.enabled()) {
            LOG.warn("mesh.auth.enabled=false: the registry accepts every request without a token");
            return;
        }
        if (config.service().isEmpty()) {
            LOG.info("mesh.auth.service unset: the challenge names the Host each client used as the token service");
        }
        router.route().order(-100).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (!RequiredAccess.guards(path)) {
            ctx.next();
            return;
        }
        HttpServerRequest request = ctx.request();
        List<Access> needed;
        try {
            needed = RequiredAccess.of(request.method().name(), path, ctx.request().getParam("mount"), ctx.request().getParam("from"));
        } catch (OciException e) {
            fail(ctx, e.status(), e.body().toJson());
            return;
        }
        String service = service(request);
        String token = bearer(request);
        if (token == null) {
            challenge(ctx, new Challenge(config.realm(), service, needed, null, "authentication required"));
            return;
        }
        TokenVerification cached = verifier.verifyCached(token, service);
        if (!verifier.needsFetch(cached)) {
            decide(ctx, needed, service, cached);
            return;
        }
        request.pause();
        ctx.vertx().executeBlocking(() -> verifier.verify(token, service), false).onComplete(ar -> {
            if (ctx.response().ended() || ctx.response().closed()) {
                return;
            }
            request.resume();
            if (ar.failed()) {
                LOG.warn("token verification failed unexpectedly", ar.cause());
                fail(ctx, 500, ErrorBody.of(ErrorCode.UNKNOWN, "token verification failed").toJson());
                return;
            }
            decide(ctx, needed, service, ar.result());
        });
    }

    private void decide(RoutingContext ctx, List<Access> needed, String service, TokenVerification result) {
        if (!result.isValid()) {
            if (result.failure() == TokenFailure.KEYS_UNAVAILABLE) {
                LOG.warnf("cannot verify tokens: %s", result.message());
                fail(ctx, 503, ErrorBody.of(ErrorCode.UNAVAILABLE, "token verification keys unavailable").toJson());
                return;
            }
            LOG.debugf("refused token: %s %s", result.failure(), result.message());
            challenge(ctx, new Challenge(config.realm(), service, needed, Challenge.INVALID_TOKEN,
                    "invalid token: " + result.failure().name().toLowerCase().replace('_', ' ')));
            return;
        }
        for (Access need : needed) {
            for (String action : need.actions()) {
                if (!result.allows(need.type(), need.name(), action)) {
                    challenge(ctx, new Challenge(config.realm(), service, needed, Challenge.INSUFFICIENT_SCOPE,
                            "insufficient scope: " + need.type() + ":" + need.name() + ":" + action));
                    return;
                }
            }
        }
        if (result.subject() != null) {
            ctx.put(SUBJECT_KEY, result.subject());
        }
        ctx.next();
    }

    private String service(HttpServerRequest request) {
        if (config.service().isPresent()) {
            return config.service().get();
        }
        String host = request.getHeader("Host");
        return host == null || host.isEmpty() ? "registry" : host;
    }

    private static String bearer(HttpServerRequest request) {
        String h = request.getHeader("Authorization");
        if (h == null || h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = h.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static void challenge(RoutingContext ctx, Challenge challenge) {
        ctx.response().putHeader("WWW-Authenticate", challenge.header());
        fail(ctx, 401, challenge.body());
    }

    private static void fail(RoutingContext ctx, int status, String body) {
        HttpServerResponse response = ctx.response();
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Docker-Distribution-API-Version", "registry/2.0");
        if (ctx.request().method().name().equals("HEAD")) {
            response.end();
        } else {
            response.end(body);
        }
    }
}
