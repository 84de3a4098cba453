package dev.registrymesh.mirror.auth;

import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.common.auth.Access;
import dev.registrymesh.common.auth.TokenVerification;
import dev.registrymesh.common.http.BearerTokenGate;
import dev.registrymesh.common.http.V2Paths;
import dev.registrymesh.mirror.config.MirrorConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Makes a private mirror: with {@code mesh.auth.enabled}, every /v2 request needs a token from the auth
 * service, checked by the shared {@link BearerTokenGate} (signature, issuer, expiry, and an audience that names
 * this mirror). The mirror's content is not in the index's repository records, so the mirror's own rule decides:
 * any signed-in user may pull through it, and the token's access claim, which reflects the registry's
 * repositories (an anonymous token may carry {@code pull} on a name that is public there), is never read.
 * With {@code mirror.allow-anonymous}, anonymous callers pass too, with a token or without (what Docker daemons
 * need: they cannot sign in to a {@code registry-mirrors} entry).
 *
 * <p>The internal peer and admin endpoints are not /v2 and keep their own guard ({@code MESH_INTERNAL_TOKEN}).
 */
@ApplicationScoped
public class ClientTokenGate implements BearerTokenGate.Rule {
    private static final Logger LOG = Logger.getLogger(ClientTokenGate.class);

    private final MirrorAuthConfig auth;
    private final boolean allowAnonymous;

    public ClientTokenGate(MirrorAuthConfig auth, MirrorConfig mirror) {
        this.auth = auth;
        this.allowAnonymous = mirror.allowAnonymous();
    }

    void init(@Observes Router router) {
        if (!auth.enabled()) {
            LOG.warn("mesh.auth.enabled=false: the mirror serves every client without a token");
            return;
        }
        LOG.infof("clients need a token from %s%s", auth.realm(), allowAnonymous ? " (or none: anonymous pulls allowed)" : "");
        router.route().order(-100).handler(new BearerTokenGate(auth, this));
    }

    @Override
    public List<Access> required(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (!V2Paths.isApi(path)) {
            return null;
        }
        String name = V2Paths.repository(path);
        // The challenge names the scope a client will ask for; a path prefix with a port (host:5000/org/app) is no
        // repository name, so those clients are sent for a plain sign-in (any valid token).
        return name == null || !RepositoryName.isValid(name) ? List.of() : List.of(Access.repository(name, Access.PULL));
    }

    @Override
    public boolean admitsWithoutToken(List<Access> needed) {
        return allowAnonymous;
    }

    @Override
    public boolean admits(TokenVerification token, List<Access> needed) {
        return token.subject() != null || allowAnonymous;
    }
}
