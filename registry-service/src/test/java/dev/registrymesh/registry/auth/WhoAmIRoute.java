package dev.registrymesh.registry.auth;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Test-only route that echoes the subject the filter put into the routing context. */
@ApplicationScoped
public class WhoAmIRoute {
    static final String PATH = "/v2/mesh-test/whoami/manifests/latest";

    void init(@Observes Router router) {
        router.get(PATH).order(-50).handler(ctx -> ctx.response().end(String.valueOf((Object) ctx.get(TokenAuthFilter.SUBJECT_KEY))));
    }
}
