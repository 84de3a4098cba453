package dev.registrymesh.mirror.fetch;

import dev.registrymesh.common.Accept;
import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.IndexFallback;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.common.OciException;
import dev.registrymesh.mirror.cache.CachedManifest;
import dev.registrymesh.mirror.cache.ContentStore;
import dev.registrymesh.mirror.cache.TagStore;
import dev.registrymesh.mirror.cache.TagStore.TagRecord;
import dev.registrymesh.mirror.cluster.ClusterIndex;
import dev.registrymesh.mirror.config.MirrorConfig;
import dev.registrymesh.mirror.config.Upstream;
import dev.registrymesh.mirror.metrics.MirrorMetrics;
import dev.registrymesh.mirror.upstream.UpstreamBackoff;
import dev.registrymesh.mirror.upstream.UpstreamClient;
import dev.registrymesh.mirror.upstream.UpstreamError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jboss.logging.Logger;

/**
 * Manifests through the cache. By digest: immutable, served from the cache once there. By tag: served from
 * the cache within the upstream's tag TTL; after it, revalidated with a HEAD (which Docker Hub does not
 * count against its pull limit) and fetched with a GET only when the digest changed; when the upstream
 * fails or rate-limits, the last known manifest is served within the stale window, flagged by a
 * {@code Warning}. Never a GET after a 429.
 *
 * <p>Across nodes: a manifest one node fetched, and the digest it last confirmed for a tag, are shared
 * through the {@link ClusterIndex}, so that a cluster asks the upstream once per tag TTL, not once per node.
 */
@ApplicationScoped
public class ManifestService {
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /** How long a fetched manifest stays in the cluster index for other nodes (each node keeps its own copy). */
    static final Duration SHARED_MANIFEST_TTL = Duration.ofHours(24);
    private static final Logger LOG = Logger.getLogger(ManifestService.class);
    static final String ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST_V2);

    /** A manifest to answer with; {@code result} is hit, miss or stale, {@code warning} is set when stale. */
    public record Served(CachedManifest manifest, String result, String warning) {
    }

    @Inject
    Vertx vertx;
    @Inject
    ContentStore store;
    @Inject
    TagStore tags;
    @Inject
    UpstreamClient client;
    @Inject
    MirrorConfig config;
    @Inject
    ClusterIndex index;
    @Inject
    UpstreamBackoff backoff;
    @Inject
    MirrorMetrics metrics;

    /** Lookups in progress on this node: concurrent requests for one manifest share one upstream call. */
    private final java.util.Map<String, Future<Served>> inFlight = new java.util.concurrent.ConcurrentHashMap<>();

    public Future<Served> get(Upstream upstream, String repository, String reference) {
        String key = tagKey(upstream, repository, reference);
        io.vertx.core.Promise<Served> mine = io.vertx.core.Promise.promise();
        Future<Served> running = inFlight.putIfAbsent(key, mine.future());
        if (running != null) {
            return running;
        }
        Future<Served> lookup;
        try {
            lookup = lookup(upstream, repository, reference);
        } catch (RuntimeException e) {
            lookup = Future.failedFuture(e);
        }
        lookup.onComplete(r -> {
            inFlight.remove(key, mine.future());
            mine.handle(r);
        });
        return mine.future();
    }

    /**
     * As {@link #get(Upstream, String, String)}, in a type the client accepts: by digest the manifest is
     * served as it is; by tag, an index the client cannot read becomes its linux/amd64 image, as CNCF
     * Distribution answers old clients, and anything else it cannot read is MANIFEST_UNKNOWN.
     */
    public Future<Served> get(Upstream upstream, String repository, String reference, Collection<String> accepted) {
        return get(upstream, repository, reference).compose(served -> {
            String type = served.manifest().mediaType();
            if (Digest.isValid(reference) || Accept.allows(accepted, type)) {
                return Future.succeededFuture(served);
            }
            Optional<Digest> child = MediaTypes.isIndex(type) ? IndexFallback.child(served.manifest().content(), accepted) : Optional.empty();
            if (child.isEmpty()) {
                return Future.failedFuture(new OciException(ErrorCode.MANIFEST_UNKNOWN, "manifest of type " + type
                        + " is not among the accepted types " + accepted, Map.of("tag", reference)));
            }
            return get(upstream, repository, child.get().toString())
                    .map(image -> new Served(image.manifest(), image.result(), served.warning()));
        });
    }

    private Future<Served> lookup(Upstream upstream, String repository, String reference) {
        if (Digest.isValid(reference)) {
            Digest digest = Digest.parse(reference);
            return blocking(() -> store.manifest(digest)).compose(cached -> cached != null
                    ? Future.succeededFuture(new Served(cached, "hit", null))
                    : fromCluster(digest).compose(shared -> shared != null
                            ? Future.succeededFuture(new Served(shared, "peer", null))
                            : fetch(upstream, repository, reference, digest).map(m -> new Served(m, "miss", null))));
        }
        return byTag(upstream, repository, reference);
    }

    /**
     * A manifest another node fetched lately, checked and kept here; null when the cluster has none (or
     * Redis is down, or the bytes do not match: then the upstream is asked as usual).
     */
    private Future<CachedManifest> fromCluster(Digest digest) {
        return index.manifest(digest).otherwise(Optional.empty()).compose(shared -> {
            if (shared.isEmpty() || !Digest.compute(digest.algorithm(), shared.get().content()).equals(digest)) {
                return Future.succeededFuture(null);
            }
            CachedManifest manifest = shared.get();
            return blocking(() -> {
                store.putManifest(manifest.digest(), manifest.mediaType(), manifest.content());
                return manifest;
            });
        });
    }

    private Future<Served> byTag(Upstream upstream, String repository, String tag) {
        return blocking(() -> tags.get(upstream.slug(), repository, tag)
                .map(record -> new Known(record, store.manifest(record.digest())))
                .filter(known -> known.manifest() != null)
                .orElse(null)
        ).compose(known -> {
            if (known != null && System.currentTimeMillis() - known.record().validatedAt() < upstream.tagTtl().toMillis()) {
                return Future.succeededFuture(new Served(known.manifest(), "hit", null));
            }
            // Another node may have fetched or revalidated it lately: then this one need not ask the upstream.
            return index.tag(tagKey(upstream, repository, tag)).otherwise(Optional.empty()).compose(shared -> {
                if (shared.isEmpty() || System.currentTimeMillis() - shared.get().validatedAt() >= upstream.tagTtl().toMillis()) {
                    return known == null ? fetchTag(upstream, repository, tag).map(m -> new Served(m, "miss", null))
                            : revalidate(upstream, repository, tag, known);
                }
                TagRecord record = new TagRecord(shared.get().digest(), shared.get().validatedAt());
                if (known != null && known.record().digest().equals(record.digest())) {
                    return blocking(() -> {
                        tags.put(upstream.slug(), repository, tag, record);
                        return new Served(known.manifest(), "hit", null);
                    });
                }
                return fromCluster(record.digest()).compose(manifest -> {
                    if (manifest == null) {
                        return known == null ? fetchTag(upstream, repository, tag).map(m -> new Served(m, "miss", null))
                                : revalidate(upstream, repository, tag, known);
                    }
                    return blocking(() -> {
                        tags.put(upstream.slug(), repository, tag, record);
                        return new Served(manifest, "peer", null);
                    });
                });
            });
        });
    }

    private static String tagKey(Upstream upstream, String repository, String tag) {
        return upstream.alias() + "/" + repository + ":" + tag;
    }

    /** Records a confirmation locally and for the cluster (best effort: a missing Redis only costs a HEAD). */
    private TagRecord confirmed(Upstream upstream, String repository, String tag, Digest digest) {
        TagRecord record = new TagRecord(digest, System.currentTimeMillis());
        tags.put(upstream.slug(), repository, tag, record);
        index.putTag(tagKey(upstream, repository, tag), new ClusterIndex.TagState(digest, record.validatedAt()),
                upstream.tagTtl().plus(config.staleWindow()));
        return record;
    }

    private record Known(TagRecord record, CachedManifest manifest) {
    }

    private Future<Served> revalidate(Upstream upstream, String repository, String tag, Known known) {
        if (backoff.active(upstream)) {
            return stale(upstream, known, new OciException(ErrorCode.UNAVAILABLE, "unreachable a moment ago; not asked again yet"));
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Accept", ACCEPT);
        return client.send(upstream, HttpMethod.HEAD, repository, "/v2/" + repository + "/manifests/" + tag, headers)
                .transform(ar -> {
                    if (ar.failed()) {
                        backoff.unreachable(upstream);
                        return stale(upstream, known, UpstreamError.unreachable("tag " + tag, ar.cause()));
                    }
                    backoff.reached(upstream);
                    HttpClientResponse response = ar.result();
                    UpstreamClient.discard(response);
                    int status = response.statusCode();
                    if (status == 200) {
                        String current = response.getHeader("Docker-Content-Digest");
                        if (known.record().digest().toString().equals(current)) {
                            return blocking(() -> {
                                confirmed(upstream, repository, tag, known.record().digest());
                                return new Served(known.manifest(), "hit", null);
                            });
                        }
                        // The tag moved, but Docker Hub counts (and may refuse) only the GET: the last one is still good to serve.
                        return fetchTag(upstream, repository, tag).map(m -> new Served(m, "miss", null))
                                .recover(e -> UpstreamError.allowsStale(e) ? stale(upstream, known, (OciException) e) : Future.failedFuture(e));
                    }
                    if (status == 404) {
                        return blocking(() -> {
                            tags.remove(upstream.slug(), repository, tag);
                            return null;
                        }).compose(v -> Future.failedFuture(UpstreamError.of(404, ErrorCode.MANIFEST_UNKNOWN, "tag " + tag)));
                    }
                    OciException error = UpstreamError.of(response, ErrorCode.MANIFEST_UNKNOWN, "tag " + tag);
                    return UpstreamError.allowsStale(status) ? stale(upstream, known, error) : Future.failedFuture(error);
                });
    }

    private Future<Served> stale(Upstream upstream, Known known, OciException error) {
        long age = System.currentTimeMillis() - known.record().validatedAt();
        if (age > upstream.tagTtl().toMillis() + config.staleWindow().toMillis()) {
            return Future.failedFuture(error);
        }
        return Future.succeededFuture(new Served(known.manifest(), "stale", UpstreamError.staleWarning(upstream.alias(), error.getMessage())));
    }

    private Future<CachedManifest> fetchTag(Upstream upstream, String repository, String tag) {
        return fetch(upstream, repository, tag, null).compose(manifest -> blocking(() -> {
            confirmed(upstream, repository, tag, manifest.digest());
            return manifest;
        }));
    }

    /** GETs a manifest upstream, checks it against {@code expected} (or the upstream's digest header) and caches it. */
    private Future<CachedManifest> fetch(Upstream upstream, String repository, String reference, Digest expected) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Accept", ACCEPT);
        String what = "manifest " + repository + ":" + reference;
        return client.send(upstream, HttpMethod.GET, repository, "/v2/" + repository + "/manifests/" + reference, headers)
                .recover(e -> Future.failedFuture(UpstreamError.unreachable(what, e)))
                .compose(response -> {
                    if (response.statusCode() != 200) {
                        UpstreamClient.discard(response);
                        return Future.failedFuture(UpstreamError.of(response, ErrorCode.MANIFEST_UNKNOWN, what));
                    }
                    String length = response.getHeader("Content-Length");
                    if (length != null && Long.parseLong(length.trim()) > MAX_MANIFEST_BYTES) {
                        response.request().reset();
                        return Future.failedFuture(new OciException(ErrorCode.MANIFEST_INVALID, "the upstream manifest is larger than 4 MiB"));
                    }
                    Future<Buffer> body = response.body();
                    response.resume();
                    return body.compose(buffer -> check(response, buffer, expected, what));
                })
                .compose(manifest -> blocking(() -> {
                    store.putManifest(manifest.digest(), manifest.mediaType(), manifest.content());
                    return manifest;
                }))
                .onSuccess(manifest -> {
                    metrics.bytesFetched(upstream.alias(), "miss", manifest.content().length);
                    index.putManifest(manifest, SHARED_MANIFEST_TTL)
                            .onFailure(e -> LOG.debugf("cannot share %s: %s", manifest.digest(), e.getMessage()));
                });
    }

    private static Future<CachedManifest> check(HttpClientResponse response, Buffer buffer, Digest expected, String what) {
        byte[] bytes = buffer.getBytes();
        String header = response.getHeader("Docker-Content-Digest");
        Digest claimed = expected != null ? expected
                : header != null && Digest.isValid(header) ? Digest.parse(header) : null;
        Digest actual = Digest.compute(claimed == null ? Digest.Algorithm.SHA256 : claimed.algorithm(), bytes);
        if (claimed != null && !claimed.equals(actual)) {
            return Future.failedFuture(new OciException(ErrorCode.UNAVAILABLE, "the upstream sent " + actual + " for " + what + ", not " + claimed));
        }
        String type = Optional.ofNullable(response.getHeader("Content-Type")).map(t -> t.split(";")[0].trim()).orElse("");
        if (!MediaTypes.isManifest(type)) {
            type = sniff(bytes, type);
        }
        return Future.succeededFuture(new CachedManifest(actual, type, bytes));
    }

    /** The mediaType field of the manifest itself, when the upstream's Content-Type says nothing useful. */
    private static String sniff(byte[] bytes, String fallback) {
        try {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes).path("mediaType");
            return node.isTextual() ? node.asText() : (fallback.isEmpty() ? MediaTypes.OCI_MANIFEST : fallback);
        } catch (java.io.IOException e) {
            return fallback.isEmpty() ? MediaTypes.JSON : fallback;
        }
    }

    private <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }
}
