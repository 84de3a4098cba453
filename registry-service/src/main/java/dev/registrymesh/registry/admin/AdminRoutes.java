package dev.registrymesh.registry.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.Names;
import dev.registrymesh.common.OciException;
import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.common.http.InternalCallers;
import dev.registrymesh.common.http.OciErrorReplies;
import dev.registrymesh.registry.gc.GcRunner;
import dev.registrymesh.registry.lifecycle.Admission;
import dev.registrymesh.registry.lifecycle.IndexPolicies;
import dev.registrymesh.registry.lifecycle.PolicySource;
import dev.registrymesh.registry.lifecycle.QuotaGuard;
import dev.registrymesh.registry.storage.RepositoryStore;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The registry's admin API, for index-service and operators. Guarded like every internal endpoint of the mesh
 * ({@link InternalCallers}: {@code X-Mesh-Internal-Token}, or loopback callers only when MESH_INTERNAL_TOKEN is
 * unset); answers are JSON, errors the spec's body.
 * <ul>
 * <li>{@code DELETE /admin/v1/repositories/<name>}: the repository's tags, manifests and blob links;</li>
 * <li>{@code DELETE /admin/v1/namespaces/<namespace>}: the same for every repository of the namespace.</li>
 * </ul>
 */
@ApplicationScoped
public class AdminRoutes {
    private static final Logger LOG = Logger.getLogger(AdminRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Inject
    RepositoryStore repositories;
    @ConfigProperty(name = "mesh.internal-token")
    Optional<String> internalToken;

    @Inject
    GcRunner gc;
    @Inject
    QuotaGuard quota;
    @Inject
    Admission admission;
    @Inject
    PolicySource policies;

    private ContentRemoval removal;

    void register(@Observes Router router) {
        removal = new ContentRemoval(repositories);
        router.route("/admin/*").order(-200).handler(ctx -> {
            InternalCallers.require(ctx, internalToken);
            ctx.next();
        }).failureHandler(OciErrorReplies::handle);
        router.routeWithRegex(HttpMethod.DELETE, "^/admin/v1/repositories/(?<name>.+)$").blockingHandler(ctx -> {
            RepositoryName name = RepositoryName.of(ctx.pathParam("name"));
            List<String> removed = removal.repository(name);
            admission.removed(name.path());
            LOG.infof("admin: deleted repository %s (%s)", name, removed.isEmpty() ? "it held nothing" : "content removed");
            reply(ctx, Map.of("repositories", removed));
        }, false);
        router.routeWithRegex(HttpMethod.DELETE, "^/admin/v1/namespaces/(?<namespace>[^/]+)$").blockingHandler(ctx -> {
            String namespace = ctx.pathParam("namespace");
            if (!Names.PATH_COMPONENT.matcher(namespace).matches()) {
                throw new OciException(ErrorCode.NAME_INVALID, "invalid namespace", Map.of("name", namespace));
            }
            List<String> removed = removal.namespace(namespace);
            removed.forEach(admission::removed);
            LOG.infof("admin: deleted namespace %s (%d repositories)", namespace, removed.size());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("namespace", namespace);
            body.put("repositories", removed);
            reply(ctx, body);
        }, false);
        // One collection at a time across nodes; ?dryRun=true reports what it would remove and changes nothing.
        router.route(HttpMethod.POST, "/admin/v1/gc").blockingHandler(ctx -> {
            boolean dryRun = "true".equalsIgnoreCase(ctx.request().getParam("dryRun"));
            reply(ctx, gc.run(dryRun));
        }, false);
        router.routeWithRegex(HttpMethod.GET, "^/admin/v1/namespaces/(?<namespace>[^/]+)/usage$").blockingHandler(ctx -> {
            reply(ctx, quota.describe(namespace(ctx)));
        }, false);
        // What retention and collection would remove in one namespace (index-service's retention preview).
        router.routeWithRegex(HttpMethod.GET, "^/admin/v1/namespaces/(?<namespace>[^/]+)/retention-preview$").blockingHandler(ctx -> {
            reply(ctx, gc.preview(namespace(ctx)));
        }, false);
        // index-service changed a namespace's settings: read them again at once rather than after the cache's TTL.
        router.routeWithRegex(HttpMethod.POST, "^/admin/v1/namespaces/(?<namespace>[^/]+)/policy-changed$").handler(ctx -> {
            if (policies instanceof IndexPolicies index) {
                index.forget(namespace(ctx));
            }
            ctx.response().setStatusCode(204).end();
        });
    }

    private static String namespace(RoutingContext ctx) {
        String namespace = ctx.pathParam("namespace");
        if (!Names.PATH_COMPONENT.matcher(namespace).matches()) {
            throw new OciException(ErrorCode.NAME_INVALID, "invalid namespace", Map.of("name", namespace));
        }
        return namespace;
    }

    private static void reply(RoutingContext ctx, Object body) {
        try {
            ctx.response().putHeader("Content-Type", "application/json").end(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
