package dev.registrymesh.mirror.auth;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.common.auth.Access;
import dev.registrymesh.common.auth.Scopes;
import dev.registrymesh.common.auth.TokenVerification;
import dev.registrymesh.common.http.BearerTokenGate;
import dev.registrymesh.common.http.V2Paths;
import dev.registrymesh.mirror.config.MirrorConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Makes a private mirror: with {@code mesh.auth.enabled}, every /v2 request needs a token from the auth
 * service, checked by the shared {@link BearerTokenGate}. The mirror's content is not in the index's
 * repository records, so any signed-in user may pull through it: a token with a subject is enough, as is one
 * that grants {@code pull} on the repository. With {@code mirror.allow-anonymous}, requests without a token
 * pass too (what Docker daemons need: they cannot sign in to a {@code registry-mirrors} entry).
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
        if (name == null) {
            return List.of(); // the version check: any valid token
        }
        if (!Scopes.isValidRepositoryName(name)) {
            throw new OciException(ErrorCode.NAME_INVALID, "invalid repository name", Map.of("name", name));
        }
        return List.of(Access.repository(name, Access.PULL));
    }

    @Override
    public boolean admitsWithoutToken(List<Access> needed) {
        return allowAnonymous;
    }

    @Override
    public boolean admits(TokenVerification token, List<Access> needed) {
        return token.subject() != null || BearerTokenGate.grantsAll(token, needed);
    }
}
