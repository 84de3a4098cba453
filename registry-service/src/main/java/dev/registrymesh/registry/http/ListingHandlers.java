package dev.registrymesh.registry.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.common.OciException;
import dev.registrymesh.registry.config.RegistryConfig;
import dev.registrymesh.registry.manifest.ManifestService;
import dev.registrymesh.registry.storage.RepositoryStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/** The read-only lists: {@code tags/list}, {@code _catalog} and {@code referrers}. Worker handlers. */
@ApplicationScoped
class ListingHandlers {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RepositoryStore repositories;
    @Inject
    ManifestService manifests;
    @Inject
    RegistryConfig config;

    void tags(RoutingContext ctx) {
        String name = Params.repository(ctx);
        if (!repositories.exists(name)) {
            throw new OciException(ErrorCode.NAME_UNKNOWN, "repository name not known to registry", Map.of("name", name));
        }
        Pagination page = Pagination.of(repositories.tags(name), ctx.request().getParam("n"), ctx.request().getParam("last"),
                config.maxPageSize(), "/v2/" + name + "/tags/list");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("tags", page.items());
        sendJson(ctx, page, body);
    }

    void catalog(RoutingContext ctx) {
        Pagination page = Pagination.of(repositories.repositories(), ctx.request().getParam("n"), ctx.request().getParam("last"),
                config.maxPageSize(), "/v2/_catalog");
        sendJson(ctx, page, Map.of("repositories", page.items()));
    }

    void referrers(RoutingContext ctx) {
        String name = Params.repository(ctx);
        Digest subject = Params.digest(ctx, "digest");
        String artifactType = ctx.request().getParam("artifactType");
        byte[] index = manifests.referrers(name, subject, artifactType);
        var response = ctx.response().putHeader("Content-Type", MediaTypes.OCI_INDEX);
        if (artifactType != null) {
            response.putHeader(Headers.FILTERS_APPLIED, "artifactType");
        }
        response.end(Buffer.buffer(index));
    }

    private static void sendJson(RoutingContext ctx, Pagination page, Object body) {
        if (page.next() != null) {
            ctx.response().putHeader(Headers.LINK, page.next());
        }
        try {
            ctx.response().putHeader("Content-Type", MediaTypes.JSON).end(Buffer.buffer(JSON.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
