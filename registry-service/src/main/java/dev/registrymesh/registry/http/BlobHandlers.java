package dev.registrymesh.registry.http;

import dev.registrymesh.common.ByteRange;
import dev.registrymesh.common.Digest;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.common.OciException;
import dev.registrymesh.registry.blob.BlobService;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** {@code GET}, {@code HEAD} and {@code DELETE /v2/<name>/blobs/<digest>}. */
@ApplicationScoped
class BlobHandlers {
    @Inject
    BlobService blobs;
    @Inject
    RequestEvents events;

    /** GET and HEAD: the lookup runs on a worker, the bytes leave by zero-copy sendfile on the event loop. */
    void read(RoutingContext ctx) {
        String name = Params.repository(ctx);
        Digest digest = Params.digest(ctx, "digest");
        ctx.vertx().executeBlocking(() -> blobs.locate(name, digest), false).onSuccess(blob -> {
            ByteRange range;
            try {
                range = ByteRange.ofDownload(ctx.request().getHeader(Headers.RANGE), blob.size());
            } catch (OciException e) {
                // A throw inside onSuccess would never reach the failure handler (the client would hang).
                // RFC 9110: an unsatisfiable range is answered with the real size.
                ctx.response().putHeader(Headers.CONTENT_RANGE, "bytes */" + blob.size());
                ctx.fail(e);
                return;
            }
            HttpServerResponse response = ctx.response()
                    .putHeader(Headers.CONTENT_DIGEST, digest.toString())
                    .putHeader("Content-Type", MediaTypes.OCTET_STREAM)
                    .putHeader("Accept-Ranges", "bytes")
                    .putHeader("ETag", '"' + digest.toString() + '"')
                    .putHeader("Cache-Control", "max-age=31536000");
            if (ctx.request().method() == HttpMethod.HEAD) {
                response.putHeader("Content-Length", Long.toString(blob.size())).end();
                return;
            }
            if (blob.redirect() != null) {
                // Redirect mode: the client fetches the bytes (and its Range) from the object store itself.
                response.setStatusCode(307).putHeader(Headers.LOCATION, blob.redirect().toString())
                        .putHeader("Cache-Control", "no-store").putHeader("Content-Length", "0").end();
                events.publish(ctx, "pull", name, digest, MediaTypes.OCTET_STREAM, blob.size(), null);
                return;
            }
            long start = range == null ? 0 : range.start();
            long length = range == null ? blob.size() : range.length();
            if (range == null) {
                events.publish(ctx, "pull", name, digest, MediaTypes.OCTET_STREAM, blob.size(), null);
            } else {
                response.setStatusCode(206).putHeader(Headers.CONTENT_RANGE, range.contentRange(blob.size()));
            }
            if (blob.file() != null) {
                response.sendFile(blob.file().toString(), start, length).onFailure(e -> response.reset());
                return;
            }
            // Streamed from the store with back-pressure (a Range becomes a ranged read): heap flat with blob size.
            response.putHeader("Content-Length", Long.toString(length));
            blobs.open(ctx.vertx(), blob, start, length)
                    .onSuccess(body -> body.pipeTo(response).onFailure(e -> {
                        response.reset();
                        if (body instanceof AutoCloseable source) {
                            try {
                                source.close(); // the client went away: stop reading from the store
                            } catch (Exception ignored) {
                                // nothing more to free
                            }
                        }
                    }))
                    .onFailure(ctx::fail);
        }).onFailure(ctx::fail);
    }

    /** DELETE: unlinks the blob from the repository. Runs on a worker. */
    void delete(RoutingContext ctx) {
        String name = Params.repository(ctx);
        Digest digest = Params.digest(ctx, "digest");
        blobs.delete(name, digest);
        events.publish(ctx, "delete", name, digest, MediaTypes.OCTET_STREAM, 0, null);
        ctx.response().setStatusCode(202).putHeader("Content-Length", "0").end();
    }
}
