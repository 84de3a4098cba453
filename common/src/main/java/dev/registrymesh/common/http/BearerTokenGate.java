package dev.registrymesh.common.http;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.common.auth.Access;
import dev.registrymesh.common.auth.Challenge;
import dev.registrymesh.common.auth.JwksCache;
import dev.registrymesh.common.auth.TokenFailure;
import dev.registrymesh.common.auth.TokenVerification;
import dev.registrymesh.common.auth.TokenVerifier;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Demands a bearer token from the auth service on the requests a {@link Rule} guards and checks it locally
 * with the shared {@link TokenVerifier}. On success the subject goes into the routing context under
 * {@value #SUBJECT_KEY} (absent for anonymous tokens) and the request continues; otherwise the client gets
 * the token protocol's 401 challenge naming the scope it needs.
 *
 * <p>Verification normally stays on the event loop (keys are cached). Only when keys must be fetched (first
 * request, unknown kid, stale cache) does it move to a worker thread, with the request paused meanwhile so
 * no body bytes are lost before the next handler is attached.
 */
public final class BearerTokenGate implements Handler<RoutingContext> {
    public static final String SUBJECT_KEY = "mesh.subject";
    private static final Logger LOG = Logger.getLogger(BearerTokenGate.class);

    /** What a service asks of the tokens on its requests. */
    public interface Rule {
        /**
         * The access a request needs: null when the gate lets it pass untouched, an empty list for "any valid
         * token".
         *
         * @throws OciException for a request that names something invalid (answered as is)
         */
        List<Access> required(RoutingContext ctx);

        /** Whether a request that carries no token at all may go on, anonymously. */
        default boolean admitsWithoutToken(List<Access> needed) {
            return false;
        }

        /** Whether a verified token is enough; by default it must grant every needed action. */
        default boolean admits(TokenVerification token, List<Access> needed) {
            return grantsAll(token, needed);
        }
    }

    private final TokenAuthSettings settings;
    private final TokenVerifier verifier;
    private final Rule rule;

    public BearerTokenGate(TokenAuthSettings settings, Rule rule) {
        this.settings = settings;
        this.rule = rule;
        JwksCache keys = JwksCache.fromUrl(settings.jwksUrl(), settings.jwksMinRefetch(), settings.jwksMaxAge());
        this.verifier = new TokenVerifier(keys, settings.issuer(), (int) settings.clockSkew().toSeconds(), Clock.systemUTC());
    }

    /** True when the token grants every action of every needed resource. */
    public static boolean grantsAll(TokenVerification token, List<Access> needed) {
        return missing(token, needed) == null;
    }

    @Override
    public void handle(RoutingContext ctx) {
        List<Access> needed;
        try {
            needed = rule.required(ctx);
        } catch (OciException e) {
            OciErrorReplies.send(ctx, e);
            return;
        }
        if (needed == null) {
            ctx.next();
            return;
        }
        HttpServerRequest request = ctx.request();
        String service = service(request);
        String token = bearer(request);
        if (token == null) {
            if (rule.admitsWithoutToken(needed)) {
                ctx.next();
            } else {
                challenge(ctx, new Challenge(settings.realm(), service, needed, null, "authentication required"));
            }
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
                OciErrorReplies.send(ctx, new OciException(ErrorCode.UNKNOWN, "token verification failed"));
                return;
            }
            decide(ctx, needed, service, ar.result());
        });
    }

    private void decide(RoutingContext ctx, List<Access> needed, String service, TokenVerification result) {
        if (!result.isValid()) {
            if (result.failure() == TokenFailure.KEYS_UNAVAILABLE) {
                LOG.warnf("cannot verify tokens: %s", result.message());
                OciErrorReplies.send(ctx, new OciException(ErrorCode.UNAVAILABLE, "token verification keys unavailable"));
                return;
            }
            LOG.debugf("refused token: %s %s", result.failure(), result.message());
            challenge(ctx, new Challenge(settings.realm(), service, needed, Challenge.INVALID_TOKEN,
                    "invalid token: " + result.failure().name().toLowerCase().replace('_', ' ')));
            return;
        }
        if (!rule.admits(result, needed)) {
            String missing = missing(result, needed);
            challenge(ctx, new Challenge(settings.realm(), service, needed, Challenge.INSUFFICIENT_SCOPE,
                    "insufficient scope" + (missing == null ? "" : ": " + missing)));
            return;
        }
        if (result.subject() != null) {
            ctx.put(SUBJECT_KEY, result.subject());
        }
        ctx.next();
    }

    /** The first needed {@code type:name:action} the token does not grant; null when it grants them all. */
    private static String missing(TokenVerification token, List<Access> needed) {
        for (Access need : needed) {
            for (String action : need.actions()) {
                if (!token.allows(need.type(), need.name(), action)) {
                    return need.type() + ":" + need.name() + ":" + action;
                }
            }
        }
        return null;
    }

    private String service(HttpServerRequest request) {
        if (settings.service().isPresent()) {
            return settings.service().get();
        }
        String host = request.getHeader("Host");
        // RequestGuard refuses /v2 requests without a valid Host; the fallback is for paths it lets through.
        return host == null || host.isEmpty() || request.authority() == null ? "registry" : host;
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
        if (!ctx.request().isEnded()) {
            ctx.request().resume();
        }
        ctx.response().setStatusCode(401)
                .putHeader("Content-Type", "application/json")
                .putHeader(OciErrorReplies.API_VERSION_HEADER, OciErrorReplies.API_VERSION)
                .end(ctx.request().method().name().equals("HEAD") ? "" : challenge.body());
    }
}
