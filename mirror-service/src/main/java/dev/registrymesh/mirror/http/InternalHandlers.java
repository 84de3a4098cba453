package dev.registrymesh.mirror.http;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.common.OciException;
import dev.registrymesh.common.http.InternalCallers;
import dev.registrymesh.mirror.cache.ContentStore;
import dev.registrymesh.mirror.cache.Fill;
import dev.registrymesh.mirror.cache.TailSender;
import dev.registrymesh.mirror.config.MeshSettings;
import dev.registrymesh.mirror.fetch.BlobFetcher;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Endpoints for peers and operators. Callers must send {@code X-Mesh-Internal-Token} when
 * {@code MESH_INTERNAL_TOKEN} is set; without it only loopback callers are served.
 */
@ApplicationScoped
class InternalHandlers {
    @Inject
    ContentStore store;
    @Inject
    BlobFetcher fetcher;
    @Inject
    MeshSettings settings;
    @Inject
    dev.registrymesh.mirror.fetch.Prefetcher prefetcher;

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * {@code GET /internal/v1/blobs/<digest>}: a blob this node holds, or the bytes of its fill in progress
     * as they arrive. Never starts a fetch (so peers cannot send each other in circles).
     */
    void blob(RoutingContext ctx) {
        authorize(ctx);
        Digest digest;
        try {
            digest = Digest.parse(ctx.pathParam("digest"));
        } catch (IllegalArgumentException e) {
            throw new OciException(ErrorCode.DIGEST_INVALID, e.getMessage());
        }
        HttpServerResponse response = ctx.response()
                .putHeader(PullHandlers.CONTENT_DIGEST, digest.toString())
                .putHeader("Content-Type", MediaTypes.OCTET_STREAM);
        boolean head = ctx.request().method() == HttpMethod.HEAD;
        // The fill first, then the disk: a fill is committed to the disk before it leaves the fetcher, so asked in
        // this order a blob whose fill ends in between is found on the disk rather than missed by both.
        Fill fill = fetcher.inFlight(digest);
        long size = fill == null ? store.use(digest) : -1;
        if (size >= 0) {
            response.putHeader("Content-Length", Long.toString(size));
            if (head) {
                response.end();
            } else {
                response.sendFile(store.path(digest).toString(), 0, size).onFailure(e -> response.reset());
            }
            return;
        }
        if (fill == null) {
            throw new OciException(ErrorCode.BLOB_UNKNOWN, "this node neither holds nor fetches " + digest);
        }
        io.vertx.core.Context own = ctx.vertx().getOrCreateContext();
        fill.ready().onComplete(ready -> own.runOnContext(v -> {
            if (ready.failed()) {
                ctx.fail(new OciException(ErrorCode.BLOB_UNKNOWN, "the fetch of " + digest + " failed"));
                return;
            }
            long length = ready.result();
            if (length >= 0) {
                response.putHeader("Content-Length", Long.toString(length));
            } else {
                response.setChunked(true);
            }
            if (head) {
                response.end();
            } else {
                TailSender.send(ctx.vertx(), fill, response);
            }
        }));
    }

    /**
     * {@code POST /admin/v1/prefetch} {@code {"references":["ubuntu:22.04", "ghcr.io/org/app@sha256:..."], "pin":true}}:
     * caches each image whole (all platforms) and, with {@code pin}, exempts it from eviction. Answers when
     * done, with one result per reference.
     */
    void prefetch(RoutingContext ctx) {
        authorize(ctx);
        {
            io.vertx.core.buffer.Buffer body = ctx.body().buffer() == null ? io.vertx.core.buffer.Buffer.buffer() : ctx.body().buffer();
            java.util.List<String> references = new java.util.ArrayList<>();
            boolean pin;
            try {
                var json = JSON.readTree(body.getBytes());
                json.path("references").forEach(r -> references.add(r.asText()));
                pin = json.path("pin").asBoolean(false);
            } catch (java.io.IOException e) {
                ctx.fail(new OciException(ErrorCode.UNSUPPORTED, 400, "the body must be JSON: {\"references\":[...],\"pin\":true}", null));
                return;
            }
            if (references.isEmpty()) {
                ctx.fail(new OciException(ErrorCode.UNSUPPORTED, 400, "no references to prefetch", null));
                return;
            }
            prefetcher.prefetch(references, pin).onFailure(ctx::fail).onSuccess(results -> {
                try {
                    ctx.response().putHeader("Content-Type", "application/json")
                            .end(JSON.writeValueAsString(java.util.Map.of("results", results)));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    ctx.fail(e);
                }
            });
        }
    }

    private void authorize(RoutingContext ctx) {
        InternalCallers.require(ctx, settings.internalToken());
    }
}
