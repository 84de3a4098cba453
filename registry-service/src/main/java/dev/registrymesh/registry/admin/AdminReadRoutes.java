package dev.registrymesh.registry.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.common.OciException;
import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.registry.manifest.Manifest;
import dev.registrymesh.registry.manifest.ManifestService;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.RepositoryStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The read side of the admin API, for index-service's console (guarded with the rest of {@code /admin/*} by
 * {@link AdminRoutes}):
 * <ul>
 * <li>{@code GET /admin/v1/repositories/<name>/tags}: {@code {"name":..,"tags":[{"tag":..,"digest":..}]}};</li>
 * <li>{@code GET /admin/v1/repositories/<name>/manifests/<tag or digest>}: the stored manifest, its media type as
 *     Content-Type, its digest as Docker-Content-Digest;</li>
 * <li>{@code GET /admin/v1/repositories/<name>/blobs/<digest>}: a blob of at most 1 MiB (configs);</li>
 * <li>{@code GET /admin/v1/repositories/<name>/referrers/<digest>}: the referrers index.</li>
 * </ul>
 */
@ApplicationScoped
public class AdminReadRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "^/admin/v1/repositories/(?<name>.+)/";

    @Inject
    RepositoryStore repositories;
    @Inject
    ManifestService manifests;
    @Inject
    BlobStore blobs;

    private AdminReads reads;

    void register(@Observes Router router) {
        reads = new AdminReads(repositories, manifests, blobs);
        router.routeWithRegex(HttpMethod.GET, PREFIX + "tags$").blockingHandler(ctx -> {
            String name = name(ctx);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("tags", reads.tags(name));
            json(ctx, body);
        }, false);
        router.routeWithRegex(HttpMethod.GET, PREFIX + "manifests/(?<reference>[^/]+)$").blockingHandler(ctx -> {
            Manifest manifest = reads.manifest(name(ctx), ctx.pathParam("reference"));
            ctx.response().putHeader("Content-Type", manifest.mediaType())
                    .putHeader("Docker-Content-Digest", manifest.digest().toString())
                    .end(Buffer.buffer(manifest.content()));
        }, false);
        router.routeWithRegex(HttpMethod.GET, PREFIX + "blobs/(?<digest>[^/]+)$").blockingHandler(ctx -> {
            Digest digest = digest(ctx);
            ctx.response().putHeader("Content-Type", "application/octet-stream")
                    .putHeader("Docker-Content-Digest", digest.toString())
                    .end(Buffer.buffer(reads.smallBlob(name(ctx), digest)));
        }, false);
        router.routeWithRegex(HttpMethod.GET, PREFIX + "referrers/(?<digest>[^/]+)$").blockingHandler(ctx ->
                ctx.response().putHeader("Content-Type", MediaTypes.OCI_INDEX).end(Buffer.buffer(reads.referrers(name(ctx), digest(ctx)))),
                false);
    }

    private static String name(RoutingContext ctx) {
        return RepositoryName.of(ctx.pathParam("name")).path();
    }

    private static Digest digest(RoutingContext ctx) {
        String value = ctx.pathParam("digest");
        try {
            return Digest.parse(value);
        } catch (IllegalArgumentException e) {
            throw new OciException(ErrorCode.DIGEST_INVALID, e.getMessage(), Map.of("digest", String.valueOf(value)));
        }
    }

    private static void json(RoutingContext ctx, Object body) {
        try {
            ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(JSON.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
