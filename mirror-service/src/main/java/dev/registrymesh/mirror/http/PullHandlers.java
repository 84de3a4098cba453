package dev.registrymesh.mirror.http;

import dev.registrymesh.common.Accept;
import dev.registrymesh.common.ByteRange;
import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.common.OciException;
import dev.registrymesh.mirror.cache.ContentStore;
import dev.registrymesh.mirror.cache.Fill;
import dev.registrymesh.mirror.cache.TailSender;
import dev.registrymesh.mirror.fetch.BlobFetcher;
import dev.registrymesh.mirror.fetch.LayerPrefetch;
import dev.registrymesh.mirror.fetch.ManifestService;
import dev.registrymesh.mirror.fetch.TagListService;
import dev.registrymesh.mirror.metrics.MirrorMetrics;
import dev.registrymesh.mirror.route.MirrorPath;
import dev.registrymesh.mirror.upstream.UpstreamClient;
import dev.registrymesh.mirror.upstream.UpstreamError;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** Manifests, blobs and tag lists for clients; all on the event loop, file work on workers or async. */
@ApplicationScoped
class PullHandlers {
    static final String CONTENT_DIGEST = "Docker-Content-Digest";

    @Inject
    ManifestService manifests;
    @Inject
    TagListService tagLists;
    @Inject
    BlobFetcher fetcher;
    @Inject
    ContentStore store;
    @Inject
    UpstreamClient client;
    @Inject
    MirrorMetrics metrics;
    @Inject
    LayerPrefetch prefetch;

    void manifest(RoutingContext ctx, MirrorPath path) {
        List<String> accepted = Accept.parse(ctx.request().headers().getAll("Accept"));
        manifests.get(path.upstream(), path.repository(), path.reference(), accepted).onFailure(e -> {
            metrics.request("manifest", "error");
            ctx.fail(e);
        }).onSuccess(served -> {
            metrics.request("manifest", served.result());
            HttpServerResponse response = ctx.response()
                    .putHeader("Content-Type", served.manifest().mediaType())
                    .putHeader(CONTENT_DIGEST, served.manifest().digest().toString())
                    .putHeader("ETag", '"' + served.manifest().digest().toString() + '"')
                    .putHeader("Content-Length", Integer.toString(served.manifest().content().length));
            if (served.warning() != null) {
                response.putHeader("Warning", served.warning());
            }
            if (ctx.request().method() == HttpMethod.HEAD) {
                response.end();
            } else {
                metrics.bytesServed(path.upstream().alias(), served.manifest().content().length);
                response.end(io.vertx.core.buffer.Buffer.buffer(served.manifest().content()));
                prefetch.ahead(path.upstream(), path.repository(), served.manifest());
            }
        });
    }

    void tags(RoutingContext ctx, MirrorPath path) {
        String query = ctx.request().query();
        // ns routes the request; it is not the upstream's business.
        String forwarded = query == null ? null : String.join("&", java.util.Arrays.stream(query.split("&")).filter(p -> !p.startsWith("ns=")).toList());
        tagLists.list(path.upstream(), path.repository(), forwarded).onFailure(e -> {
            metrics.request("tags", "error");
            ctx.fail(e);
        }).onSuccess(answer -> {
            metrics.request("tags", answer.result());
            HttpServerResponse response = ctx.response().putHeader("Content-Type", answer.contentType());
            if (answer.warning() != null) {
                response.putHeader("Warning", answer.warning());
            }
            response.end(ctx.request().method() == HttpMethod.HEAD ? io.vertx.core.buffer.Buffer.buffer() : answer.body());
        });
    }

    void blob(RoutingContext ctx, MirrorPath path) {
        Digest digest = Digest.parse(path.reference());
        HttpServerResponse response = ctx.response()
                .putHeader(CONTENT_DIGEST, digest.toString())
                .putHeader("Content-Type", MediaTypes.OCTET_STREAM)
                .putHeader("ETag", "\"" + digest + "\"");
        long size = store.use(digest);
        boolean head = ctx.request().method() == HttpMethod.HEAD;
        if (size >= 0) {
            metrics.request("blob", "hit");
            sendCached(ctx, response, digest, size, head, path.upstream().alias());
            return;
        }
        if (head) {
            headUncached(ctx, path, digest);
            return;
        }
        Fill fill = fetcher.fetch(path.upstream(), path.repository(), digest);
        // The fill completes on the upstream connection's thread; the answer is written from this request's own.
        io.vertx.core.Context own = ctx.vertx().getOrCreateContext();
        fill.ready().onComplete(ready -> own.runOnContext(v -> {
            if (ready.failed()) {
                metrics.request("blob", "error");
                ctx.fail(ready.cause());
                return;
            }
            long length = ready.result();
            String source = fetcher.sourceOf(digest);
            metrics.request("blob", source == null ? "miss" : source);
            if (length >= 0) {
                response.putHeader("Content-Length", Long.toString(length));
            } else {
                response.setChunked(true);
            }
            TailSender.send(ctx.vertx(), fill, response).onSuccess(sent -> metrics.bytesServed(path.upstream().alias(), sent));
        }));
    }

    private void sendCached(RoutingContext ctx, HttpServerResponse response, Digest digest, long size, boolean head, String upstream) {
        response.putHeader("Accept-Ranges", "bytes");
        ByteRange range = ByteRange.ofDownload(ctx.request().getHeader("Range"), size);
        if (head) {
            response.putHeader("Content-Length", Long.toString(size)).end();
            return;
        }
        String file = store.path(digest).toString();
        if (range == null) {
            response.sendFile(file, 0, size).onFailure(e -> response.reset());
            metrics.bytesServed(upstream, size);
        } else {
            response.setStatusCode(206)
                    .putHeader("Content-Range", range.contentRange(size))
                    .sendFile(file, range.start(), range.length()).onFailure(e -> response.reset());
            metrics.bytesServed(upstream, range.length());
        }
    }

    /** HEAD of a blob not here: a fill in progress knows its size; otherwise the upstream is asked (HEAD only). */
    private void headUncached(RoutingContext ctx, MirrorPath path, Digest digest) {
        Fill fill = fetcher.inFlight(digest);
        if (fill != null && fill.ready().succeeded() && fill.expectedSize() >= 0) {
            ctx.response().putHeader("Content-Length", Long.toString(fill.expectedSize())).end();
            return;
        }
        client.send(path.upstream(), HttpMethod.HEAD, path.repository(), path.upstreamPath(), MultiMap.caseInsensitiveMultiMap())
                .onFailure(e -> ctx.fail(UpstreamError.unreachable("blob " + digest, e)))
                .onSuccess(upstream -> {
                    UpstreamClient.discard(upstream);
                    if (upstream.statusCode() != 200) {
                        ctx.fail(UpstreamError.of(upstream.statusCode(), ErrorCode.BLOB_UNKNOWN, "blob " + digest));
                        return;
                    }
                    String length = upstream.getHeader("Content-Length");
                    if (length == null) {
                        ctx.fail(new OciException(ErrorCode.UNAVAILABLE, "the upstream did not tell the size of " + digest));
                        return;
                    }
                    ctx.response().putHeader("Content-Length", length).end();
                });
    }
}
