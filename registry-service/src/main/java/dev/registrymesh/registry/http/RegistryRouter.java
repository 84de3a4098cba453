package dev.registrymesh.registry.http;

import dev.registrymesh.common.http.OciErrorReplies;
import dev.registrymesh.common.http.RequestGuard;
import dev.registrymesh.registry.blob.UploadOutOfOrderException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The OCI Distribution API's routes. A repository name may hold slashes and even the words "blobs" or
 * "manifests", so each pattern takes the name greedily: the last {@code /blobs/}, {@code /manifests/} ...
 * ends it. Streaming routes run on the event loop; routes that only touch small files run on workers.
 */
@ApplicationScoped
public class RegistryRouter {
    private static final String NAME = "^/v2/(?<name>.+)";

    @Inject
    BlobHandlers blobs;
    @Inject
    UploadHandlers uploads;
    @Inject
    ManifestHandlers manifests;
    @Inject
    ListingHandlers listings;

    void register(@Observes Router router) {
        RequestGuard.install(router);
        // Every /v2 answer names the API version, as CNCF Distribution does; before the auth filter (-100).
        router.routeWithRegex("^/v2(/.*)?$").order(-1000).handler(ctx -> {
            ctx.response().putHeader(OciErrorReplies.API_VERSION_HEADER, OciErrorReplies.API_VERSION);
            ctx.next();
        });
        router.routeWithRegex("^/v2/?$").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(RegistryRouter::apiVersion);
        worker(router.routeWithRegex("^/v2/_catalog$").method(HttpMethod.GET), listings::catalog);

        router.routeWithRegex(NAME + "/blobs/uploads/?$").method(HttpMethod.POST).handler(uploads::start);
        String upload = NAME + "/blobs/uploads/(?<uuid>[^/]+)$";
        router.routeWithRegex(upload).method(HttpMethod.GET).handler(uploads::status);
        router.routeWithRegex(upload).method(HttpMethod.PATCH).handler(uploads::patch);
        router.routeWithRegex(upload).method(HttpMethod.PUT).handler(uploads::complete);
        router.routeWithRegex(upload).method(HttpMethod.DELETE).handler(uploads::cancel);

        String blob = NAME + "/blobs/(?<digest>[^/]+)$";
        router.routeWithRegex(blob).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(blobs::read);
        worker(router.routeWithRegex(blob).method(HttpMethod.DELETE), blobs::delete);

        String manifest = NAME + "/manifests/(?<reference>[^/]+)$";
        worker(router.routeWithRegex(manifest).method(HttpMethod.GET).method(HttpMethod.HEAD), manifests::read);
        router.routeWithRegex(manifest).method(HttpMethod.PUT).handler(manifests::put);
        worker(router.routeWithRegex(manifest).method(HttpMethod.DELETE), manifests::delete);

        worker(router.routeWithRegex(NAME + "/tags/list$").method(HttpMethod.GET), listings::tags);
        worker(router.routeWithRegex(NAME + "/referrers/(?<digest>[^/]+)$").method(HttpMethod.GET), listings::referrers);

        router.routeWithRegex("^/v2(/.*)?$").failureHandler(RegistryRouter::failed);
        router.errorHandler(400, ctx -> onlyUnderV2(ctx, 400));
        router.errorHandler(404, ctx -> onlyUnderV2(ctx, 404));
        router.errorHandler(405, ctx -> onlyUnderV2(ctx, 405));
    }

    /** Small-file work: on the worker pool, unordered so that requests do not queue behind each other. */
    private static void worker(Route route, Handler<RoutingContext> handler) {
        route.blockingHandler(handler, false);
    }

    private static void apiVersion(RoutingContext ctx) {
        ctx.response()
                .putHeader(OciErrorReplies.API_VERSION_HEADER, OciErrorReplies.API_VERSION)
                .putHeader("Content-Type", "application/json")
                .end("{}");
    }

    /** The shared OCI error answer; an out-of-order chunk also tells the client where the upload stands. */
    private static void failed(RoutingContext ctx) {
        if (ctx.failure() instanceof UploadOutOfOrderException outOfOrder && !ctx.response().headWritten()) {
            ctx.response().putHeader(Headers.RANGE, Ranges.uploadRange(outOfOrder.uploadedSize()));
        }
        OciErrorReplies.handle(ctx);
    }

    /** Unmatched /v2 requests get the spec's JSON error; other paths keep Quarkus' default answer. */
    private static void onlyUnderV2(RoutingContext ctx, int status) {
        if (ctx.request().path().startsWith("/v2")) {
            OciErrorReplies.handle(ctx, status);
        } else {
            ctx.response().setStatusCode(status).end();
        }
    }
}
