package dev.registrymesh.registry.auth;

import dev.registrymesh.common.auth.Access;
import dev.registrymesh.common.http.BearerTokenGate;
import dev.registrymesh.common.http.V2Paths;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Demands a bearer token on every /v2 request (when {@code mesh.auth.enabled}), before every other route:
 * the shared {@link BearerTokenGate} with the registry's rule, {@link RequiredAccess}.
 */
@ApplicationScoped
public class TokenAuthFilter {
    public static final String SUBJECT_KEY = BearerTokenGate.SUBJECT_KEY;
    private static final Logger LOG = Logger.getLogger(TokenAuthFilter.class);

    private final RegistryAuthConfig config;

    public TokenAuthFilter(RegistryAuthConfig config) {
        this.config = config;
    }

    void init(@Observes Router router) {
        if (!config.enabled()) {
            LOG.warn("mesh.auth.enabled=false: the registry accepts every request without a token");
            return;
        }
        if (config.service().isEmpty()) {
            LOG.info("mesh.auth.service unset: the challenge names the Host each client used as the token service");
        }
        router.route().order(-100).handler(new BearerTokenGate(config, TokenAuthFilter::required));
    }

    private static List<Access> required(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (!V2Paths.isApi(path)) {
            return null;
        }
        return RequiredAccess.of(ctx.request().method().name(), path, ctx.request().getParam("mount"), ctx.request().getParam("from"));
    }
}
