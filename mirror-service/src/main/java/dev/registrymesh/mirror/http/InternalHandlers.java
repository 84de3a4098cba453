package dev.registrymesh.mirror.http;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.common.OciException;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

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
        long size = store.use(digest);
        if (size >= 0) {
            response.putHeader("Content-Length", Long.toString(size));
            if (head) {
                response.end();
            } else {
                response.sendFile(store.path(digest).toString(), 0, size).onFailure(e -> response.reset());
            }
            return;
        }
        Fill fill = fetcher.inFlight(digest);
        if (fill == null) {
            throw new OciException(ErrorCode.BLOB_UNKNOWN, "this node neither holds nor fetches " + digest);
        }
        fill.ready().onFailure(e -> ctx.fail(new OciException(ErrorCode.BLOB_UNKNOWN, "the fetch of " + digest + " failed"))).onSuccess(length -> {
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
        });
    }

    private void authorize(RoutingContext ctx) {
        String expected = settings.internalToken().filter(t -> !t.isBlank()).orElse(null);
        if (expected == null) {
            if (!ctx.request().remoteAddress().hostAddress().startsWith("127.") && !"0:0:0:0:0:0:0:1".equals(ctx.request().remoteAddress().hostAddress())) {
                throw new OciException(ErrorCode.DENIED, "internal endpoints serve loopback callers only when MESH_INTERNAL_TOKEN is unset");
            }
            return;
        }
        String given = ctx.request().getHeader(BlobFetcher.INTERNAL_TOKEN_HEADER);
        if (given == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            throw new OciException(ErrorCode.DENIED, "missing or wrong " + BlobFetcher.INTERNAL_TOKEN_HEADER);
        }
    }
}
