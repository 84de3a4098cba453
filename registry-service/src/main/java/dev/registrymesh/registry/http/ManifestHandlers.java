package dev.registrymesh.registry.http;

import dev.registrymesh.common.Accept;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.registry.config.RegistryConfig;
import dev.registrymesh.registry.manifest.Manifest;
import dev.registrymesh.registry.manifest.ManifestService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** {@code /v2/<name>/manifests/<reference>}: GET, HEAD, PUT and DELETE. */
@ApplicationScoped
class ManifestHandlers {
    @Inject
    ManifestService manifests;
    @Inject
    RequestEvents events;
    @Inject
    RegistryConfig config;

    /** GET and HEAD, on a worker. */
    void read(RoutingContext ctx) {
        String name = Params.repository(ctx);
        String reference = ctx.pathParam("reference");
        Manifest manifest = manifests.get(name, reference, Accept.parse(ctx.request().headers().getAll("Accept")));
        HttpServerResponse response = ctx.response()
                .putHeader("Content-Type", manifest.mediaType())
                .putHeader(Headers.CONTENT_DIGEST, manifest.digest().toString())
                .putHeader("ETag", '"' + manifest.digest().toString() + '"')
                .putHeader("Content-Length", Integer.toString(manifest.content().length));
        if (ctx.request().method() == HttpMethod.HEAD) {
            response.end();
            return;
        }
        response.end(Buffer.buffer(manifest.content()));
        events.publish(ctx, "pull", name, manifest.digest(), manifest.mediaType(), manifest.content().length,
                manifest.digest().toString().equals(reference) ? null : reference);
    }

    /** PUT, on the event loop: the body (4 MiB at most) is collected, then stored on a worker. */
    void put(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        String name = Params.repository(ctx);
        String reference = ctx.pathParam("reference");
        if (Params.contentLength(ctx) > config.maxManifestBytes()) {
            throw tooBig();
        }
        readBounded(request, config.maxManifestBytes())
                .compose(body -> ctx.vertx().executeBlocking(() -> manifests.put(name, reference,
                        request.getHeader("Content-Type"), body.getBytes(), request.params().getAll("tag")), false))
                .onSuccess(stored -> {
                    HttpServerResponse response = ctx.response()
                            .setStatusCode(201)
                            .putHeader(Headers.LOCATION, "/v2/" + name + "/manifests/" + stored.digest())
                            .putHeader(Headers.CONTENT_DIGEST, stored.digest().toString())
                            .putHeader("Content-Length", "0");
                    if (stored.subject() != null) {
                        response.putHeader(Headers.SUBJECT, stored.subject().toString());
                    }
                    stored.tags().forEach(tag -> response.headers().add(Headers.TAG, tag));
                    response.end();
                    if (stored.tags().isEmpty()) {
                        events.publish(ctx, "push", name, stored.digest(), stored.mediaType(), stored.size(), null);
                    }
                    stored.tags().forEach(tag -> events.publish(ctx, "push", name, stored.digest(), stored.mediaType(), stored.size(), tag));
                })
                .onFailure(ctx::fail);
    }

    /** DELETE by digest (the manifest and its tags) or by tag (the tag only), on a worker. */
    void delete(RoutingContext ctx) {
        String name = Params.repository(ctx);
        ManifestService.Deleted deleted = manifests.delete(name, ctx.pathParam("reference"));
        events.publish(ctx, "delete", name, deleted.digest(), null, 0, deleted.tag());
        ctx.response().setStatusCode(202).putHeader("Content-Length", "0").end();
    }

    /** Collects a request body of at most {@code max} bytes; a larger one fails with 413 and is drained. */
    private static Future<Buffer> readBounded(HttpServerRequest request, int max) {
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > max) {
                promise.tryFail(tooBig());
            } else if (!promise.future().isComplete()) {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(promise::tryFail);
        request.endHandler(v -> promise.tryComplete(body));
        request.resume();
        return promise.future();
    }

    private static OciException tooBig() {
        return new OciException(ErrorCode.SIZE_INVALID, 413, "manifest too big", null);
    }
}
