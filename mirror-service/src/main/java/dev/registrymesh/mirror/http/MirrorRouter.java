package dev.registrymesh.mirror.http;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.common.http.OciErrorReplies;
import dev.registrymesh.common.http.RequestGuard;
import dev.registrymesh.mirror.config.Upstreams;
import dev.registrymesh.mirror.route.MirrorPath;
import dev.registrymesh.mirror.route.PathResolver;
import dev.registrymesh.mirror.upstream.UpstreamError;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The mirror's routes: the read side of the OCI Distribution API under /v2 (every write is 405
 * UNSUPPORTED), the internal peer endpoint and the admin API.
 */
@ApplicationScoped
public class MirrorRouter {
    @Inject
    Upstreams upstreams;
    @Inject
    PullHandlers pulls;
    @Inject
    InternalHandlers internal;

    private PathResolver resolver;

    void register(@Observes Router router) {
        resolver = new PathResolver(upstreams);
        RequestGuard.install(router);
        // Every /v2 answer names the API version, as CNCF Distribution does; before the client token gate (-100).
        router.routeWithRegex("^/v2(/.*)?$").order(-1000).handler(ctx -> {
            ctx.response().putHeader(OciErrorReplies.API_VERSION_HEADER, OciErrorReplies.API_VERSION);
            ctx.next();
        });
        router.routeWithRegex("^/v2/?$").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(MirrorRouter::apiVersion);
        router.routeWithRegex("^/v2/.+$").handler(this::dispatch);
        router.routeWithRegex("^/internal/v1/blobs/(?<digest>[^/]+)$").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(internal::blob);

        router.route("/admin/v1/prefetch").method(HttpMethod.POST)
                .handler(io.vertx.ext.web.handler.BodyHandler.create().setBodyLimit(1 << 20))
                .handler(internal::prefetch);
        router.routeWithRegex("^/(v2|internal|admin)(/.*)?$").failureHandler(MirrorRouter::failed);
        router.errorHandler(400, ctx -> onlyOurs(ctx, 400));
        router.errorHandler(404, ctx -> onlyOurs(ctx, 404));
        router.errorHandler(405, ctx -> onlyOurs(ctx, 405));
    }

    private void dispatch(RoutingContext ctx) {
        // Clients may percent-encode the ':' of a digest; '+' in a path is a plus, not a space.
        String decoded = java.net.URLDecoder.decode(ctx.request().path().replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        MirrorPath path = resolver.resolve(decoded, ctx.request().getParam("ns"));
        if (path.namespace() != null) {
            ctx.response().putHeader("OCI-Namespace", path.namespace());
        }
        HttpMethod method = ctx.request().method();
        boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
        if (path.kind() == MirrorPath.Kind.UPLOAD || !read) {
            throw new OciException(ErrorCode.UNSUPPORTED, "this mirror is read-only: " + method + " is not supported");
        }
        switch (path.kind()) {
            case MANIFEST -> pulls.manifest(ctx, path);
            case BLOB -> pulls.blob(ctx, path);
            case TAGS -> pulls.tags(ctx, path);
            default -> throw new OciException(ErrorCode.UNSUPPORTED, "unsupported");
        }
    }

    private static void apiVersion(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Type", "application/json")
                .end("{}");
    }

    /** The OCI error; an upstream that said when to try again has the client told the same. */
    private static void failed(RoutingContext ctx) {
        if (ctx.failure() instanceof UpstreamError.RetryLater later && !ctx.response().headWritten()) {
            ctx.response().putHeader("Retry-After", later.retryAfter());
        }
        OciErrorReplies.handle(ctx);
    }

    private static void onlyOurs(RoutingContext ctx, int status) {
        String path = ctx.request().path();
        if (path.startsWith("/v2") || path.startsWith("/internal") || path.startsWith("/admin")) {
            OciErrorReplies.handle(ctx, status);
        } else {
            ctx.response().setStatusCode(status).end();
        }
    }
}
