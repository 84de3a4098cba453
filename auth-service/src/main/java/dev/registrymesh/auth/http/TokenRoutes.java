package dev.registrymesh.auth.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registrymesh.auth.keys.LiveKeys;
import dev.registrymesh.auth.token.TokenError;
import dev.registrymesh.auth.token.TokenRequest;
import dev.registrymesh.auth.token.TokenResponse;
import dev.registrymesh.auth.token.TokenService;
import dev.registrymesh.common.auth.Access;
import dev.registrymesh.common.auth.ScopeSyntaxException;
import dev.registrymesh.common.auth.Scopes;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * HTTP face of the token server (thin; the logic is {@link TokenService}):
 * <ul>
 * <li>{@code GET /token?service=&scope=&offline_token=} with Basic credentials or none (Docker token spec)</li>
 * <li>{@code POST /token}, OAuth2 form: grant_type=password|refresh_token (Docker's OAuth2 token spec)</li>
 * <li>{@code GET /.well-known/jwks.json}: the public keys (JWKS), for registries that verify by kid</li>
 * <li>{@code GET /.well-known/certs.pem}: the certificates of all live keys, a root bundle for CNCF Distribution</li>
 * </ul>
 * Token requests call index-service (blocking), so they run on worker threads.
 */
@ApplicationScoped
public class TokenRoutes {
    private static final Logger LOG = Logger.getLogger(TokenRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TokenService tokens;
    private final LiveKeys keys;
    private final TokenMetrics metrics;

    public TokenRoutes(TokenService tokens, LiveKeys keys, TokenMetrics metrics) {
        this.tokens = tokens;
        this.keys = keys;
        this.metrics = metrics;
    }

    void init(@Observes Router router) {
        router.get("/token").blockingHandler(ctx -> answer(ctx, this::fromQuery), false);
        router.post("/token").handler(BodyHandler.create().setBodyLimit(64 * 1024).setHandleFileUploads(false))
                .blockingHandler(ctx -> answer(ctx, this::fromForm), false);
        router.route("/token").handler(ctx -> {
            ctx.response().putHeader("Allow", "GET, POST");
            error(ctx, new TokenError(405, "UNSUPPORTED", "use GET or POST", null));
        });
        router.get("/.well-known/jwks.json").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "max-age=60").end(keys.ring().jwks()));
        router.get("/.well-known/certs.pem").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/x-pem-file").putHeader("Cache-Control", "max-age=60")
                .end(keys.ring().certificatesPem()));
    }

    private interface Parser {
        TokenRequest parse(RoutingContext ctx);
    }

    private void answer(RoutingContext ctx, Parser parser) {
        try {
            TokenRequest request = parser.parse(ctx);
            TokenResponse response = tokens.issue(request);
            metrics.issued(request, response);
            ctx.response().setStatusCode(200)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-store")
                    .putHeader("Pragma", "no-cache")
                    .end(JSON.writeValueAsString(response));
        } catch (TokenError e) {
            error(ctx, e);
        } catch (ScopeSyntaxException e) {
            error(ctx, TokenError.badRequest(e.getMessage()));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.error("token request failed", e);
            error(ctx, new TokenError(500, "UNKNOWN", "internal error", null));
        }
    }

    /** GET: Docker's token spec; credentials in the Authorization header, several scope parameters. */
    private TokenRequest fromQuery(RoutingContext ctx) {
        MultiMap q = ctx.queryParams();
        String[] basic = basicCredentials(ctx);
        List<Access> scopes = Scopes.parseAll(q.getAll("scope"));
        return new TokenRequest(TokenRequest.Grant.BASIC_OR_ANONYMOUS, q.get("service"), scopes,
                basic == null ? null : basic[0], basic == null ? null : basic[1], null,
                "true".equalsIgnoreCase(q.get("offline_token")), clientAddress(ctx));
    }

    /** POST: OAuth2 form; scope is one space-separated parameter. */
    private TokenRequest fromForm(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (type == null || !type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            throw TokenError.badRequest("POST /token needs an application/x-www-form-urlencoded body");
        }
        MultiMap form = ctx.request().formAttributes();
        String grant = form.get("grant_type");
        List<Access> scopes = Scopes.parseAll(form.getAll("scope"));
        boolean offline = "offline".equals(form.get("access_type"));
        if ("password".equals(grant)) {
            String username = form.get("username");
            if (username == null || username.isEmpty()) {
                throw TokenError.badRequest("grant_type=password needs username and password");
            }
            return new TokenRequest(TokenRequest.Grant.PASSWORD, form.get("service"), scopes, username,
                    form.get("password"), null, offline, clientAddress(ctx));
        }
        if ("refresh_token".equals(grant)) {
            String refresh = form.get("refresh_token");
            if (refresh == null || refresh.isEmpty()) {
                throw TokenError.badRequest("grant_type=refresh_token needs refresh_token");
            }
            return new TokenRequest(TokenRequest.Grant.REFRESH_TOKEN, form.get("service"), scopes, null, null,
                    refresh, offline, clientAddress(ctx));
        }
        throw TokenError.badRequest("unsupported grant_type: " + grant);
    }

    private static String[] basicCredentials(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw TokenError.badRequest("malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw TokenError.badRequest("malformed Basic credentials");
        }
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    /** The peer address (Quarkus rewrites it from X-Forwarded-For only when proxy forwarding is configured). */
    private static String clientAddress(RoutingContext ctx) {
        var address = ctx.request().remoteAddress();
        return address == null ? "unknown" : address.host();
    }

    private void error(RoutingContext ctx, TokenError e) {
        metrics.refused(e.status());
        reply(ctx, e);
    }

    private static void reply(RoutingContext ctx, TokenError e) {
        HttpServerResponse response = ctx.response().setStatusCode(e.status())
                .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store");
        if (e.retryAfter() != null) {
            response.putHeader("Retry-After", Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
        }
        if (e.status() == 401) {
            response.putHeader("WWW-Authenticate", "Basic realm=\"registry-mesh\"");
        }
        response.end(e.body());
    }
}
