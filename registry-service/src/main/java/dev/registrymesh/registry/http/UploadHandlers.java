package dev.registrymesh.registry.http;

import dev.registrymesh.common.ByteRange;
import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.common.OciException;
import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.registry.blob.BlobService;
import dev.registrymesh.registry.blob.Upload;
import dev.registrymesh.registry.blob.UploadService;
import dev.registrymesh.registry.config.RegistryConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * {@code /v2/<name>/blobs/uploads/[<uuid>]}: start (plain, monolithic or mount), chunk, status, close and
 * cancel. These handlers run on the event loop: bodies are piped to disk as they arrive, and the request is
 * paused first so that no byte is lost while the session is looked up.
 */
@ApplicationScoped
class UploadHandlers {
    @Inject
    UploadService uploads;
    @Inject
    BlobService blobs;
    @Inject
    RequestEvents events;
    @Inject
    RegistryConfig config;

    /** {@code POST}: {@code ?mount=&from=} mounts, {@code ?digest=} takes the whole blob, else a session starts. */
    void start(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        String name = Params.repository(ctx);
        String mount = request.getParam("mount");
        String from = request.getParam("from");
        // Checked up front: a mount that falls back to a session must not fail inside a future callback.
        Digest.Algorithm algorithm = algorithm(request.getParam("digest-algorithm"));
        if (mount != null && from != null) {
            Digest digest = Params.parseDigest(mount);
            RepositoryName.of(from);
            ctx.vertx().executeBlocking(() -> blobs.mount(name, digest, from), false).onSuccess(mounted -> {
                if (mounted) {
                    events.publish(ctx, "mount", name, digest, MediaTypes.OCTET_STREAM, 0, null);
                    blobCreated(ctx, name, digest);
                } else {
                    startSession(ctx, name, algorithm);
                }
            }).onFailure(ctx::fail);
        } else if (request.getParam("digest") != null) {
            Digest digest = Params.digest(ctx, "digest");
            uploads.putMonolithic(name, request, digest).onSuccess(blob -> {
                events.publish(ctx, "push", name, blob.digest(), MediaTypes.OCTET_STREAM, blob.size(), null);
                blobCreated(ctx, name, blob.digest());
            }).onFailure(ctx::fail);
        } else {
            startSession(ctx, name, algorithm);
        }
    }

    private void startSession(RoutingContext ctx, String name, Digest.Algorithm algorithm) {
        ctx.request().resume(); // a session start has no body worth keeping
        uploads.start(name, algorithm).onSuccess(upload -> ctx.response()
                .setStatusCode(202)
                .putHeader(Headers.LOCATION, location(upload))
                .putHeader(Headers.RANGE, "0-0")
                .putHeader(Headers.UPLOAD_UUID, upload.uuid())
                .putHeader(Headers.CHUNK_MIN_LENGTH, Long.toString(config.chunkMinLength()))
                .putHeader("Content-Length", "0")
                .end()).onFailure(ctx::fail);
    }

    private static Digest.Algorithm algorithm(String param) {
        if (param == null) {
            return Digest.Algorithm.SHA256;
        }
        try {
            return Digest.Algorithm.of(param);
        } catch (IllegalArgumentException e) {
            throw new OciException(ErrorCode.DIGEST_INVALID, "unsupported digest algorithm " + param, Map.of("digest-algorithm", param));
        }
    }

    /** {@code GET}: how much of the upload the registry holds. */
    void status(RoutingContext ctx) {
        String name = Params.repository(ctx);
        uploads.find(name, ctx.pathParam("uuid"))
                .compose(upload -> uploads.size(upload).onSuccess(size -> ctx.response()
                        .setStatusCode(204)
                        .putHeader(Headers.LOCATION, location(upload))
                        .putHeader(Headers.RANGE, Ranges.uploadRange(size))
                        .putHeader(Headers.UPLOAD_UUID, upload.uuid())
                        .end()))
                .onFailure(ctx::fail);
    }

    /** {@code PATCH}: one chunk, with {@code Content-Range} (chunked mode) or without (stream mode). */
    void patch(RoutingContext ctx) {
        ctx.request().pause();
        String name = Params.repository(ctx);
        ByteRange range = Ranges.parseChunkRange(ctx.request().getHeader(Headers.CONTENT_RANGE));
        long length = announcedLength(ctx, range);
        uploads.find(name, ctx.pathParam("uuid"))
                .compose(upload -> uploads.append(upload, ctx.request(), range == null ? -1 : range.start(), length)
                        .onSuccess(size -> ctx.response()
                                .setStatusCode(202)
                                .putHeader(Headers.LOCATION, location(upload))
                                .putHeader(Headers.RANGE, Ranges.uploadRange(size))
                                .putHeader(Headers.UPLOAD_UUID, upload.uuid())
                                .putHeader("Content-Length", "0")
                                .end()))
                .onFailure(ctx::fail);
    }

    /** {@code PUT ?digest=}: closes the upload, with an optional last chunk. */
    void complete(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        String name = Params.repository(ctx);
        if (request.getParam("digest") == null) {
            throw new OciException(ErrorCode.DIGEST_INVALID, "closing an upload needs ?digest=");
        }
        Digest digest = Params.digest(ctx, "digest");
        boolean hasChunk = Params.hasBody(ctx);
        ByteRange range = hasChunk ? Ranges.parseChunkRange(request.getHeader(Headers.CONTENT_RANGE)) : null;
        long length = hasChunk ? announcedLength(ctx, range) : -1;
        if (!hasChunk) {
            request.resume();
        }
        uploads.find(name, ctx.pathParam("uuid"))
                .compose(upload -> uploads.complete(upload, hasChunk ? request : null, range == null ? -1 : range.start(), length, digest))
                .onSuccess(blob -> {
                    events.publish(ctx, "push", name, blob.digest(), MediaTypes.OCTET_STREAM, blob.size(), null);
                    blobCreated(ctx, name, blob.digest());
                })
                .onFailure(ctx::fail);
    }

    /** {@code DELETE}: cancels the upload and drops its bytes. */
    void cancel(RoutingContext ctx) {
        String name = Params.repository(ctx);
        uploads.find(name, ctx.pathParam("uuid"))
                .compose(uploads::cancel)
                .onSuccess(v -> ctx.response().setStatusCode(204).end())
                .onFailure(ctx::fail);
    }

    /** The chunk length the client announced; a Content-Range that disagrees with Content-Length is refused. */
    private static long announcedLength(RoutingContext ctx, ByteRange range) {
        long contentLength = Params.contentLength(ctx);
        if (range != null && contentLength >= 0 && range.length() != contentLength) {
            throw new OciException(ErrorCode.RANGE_INVALID, "Content-Range " + range.start() + "-" + range.end()
                    + " does not match Content-Length " + contentLength);
        }
        return range != null ? range.length() : contentLength;
    }

    private static void blobCreated(RoutingContext ctx, String name, Digest digest) {
        ctx.response()
                .setStatusCode(201)
                .putHeader(Headers.LOCATION, "/v2/" + name + "/blobs/" + digest)
                .putHeader(Headers.CONTENT_DIGEST, digest.toString())
                .putHeader("Content-Length", "0")
                .end();
    }

    private static String location(Upload upload) {
        return "/v2/" + upload.repository() + "/blobs/uploads/" + upload.uuid();
    }
}
