package dev.registrymesh.mirror.fetch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.mirror.config.MirrorConfig;
import dev.registrymesh.mirror.config.Upstream;
import dev.registrymesh.mirror.upstream.UpstreamClient;
import dev.registrymesh.mirror.upstream.UpstreamError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * {@code tags/list} passes through to the upstream; answers are reused for a short while, and served (with a
 * {@code Warning}) when the upstream fails later.
 */
@ApplicationScoped
public class TagListService {
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    public record Answer(Buffer body, String contentType, long fetchedAt, String result, String warning) {
    }

    @Inject
    UpstreamClient client;
    @Inject
    MirrorConfig config;

    private final Cache<String, Answer> answers = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofDays(7)).build();

    public Future<Answer> list(Upstream upstream, String repository, String query) {
        String path = "/v2/" + repository + "/tags/list" + (query == null || query.isEmpty() ? "" : "?" + query);
        String key = upstream.alias() + " " + path;
        Answer cached = answers.getIfPresent(key);
        if (cached != null && System.currentTimeMillis() - cached.fetchedAt() < config.tagsListTtl().toMillis()) {
            return Future.succeededFuture(new Answer(cached.body(), cached.contentType(), cached.fetchedAt(), "hit", null));
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Accept", "application/json");
        return client.send(upstream, HttpMethod.GET, repository, path, headers)
                .recover(e -> Future.failedFuture(UpstreamError.unreachable("tags of " + repository, e)))
                .compose(response -> {
                    if (response.statusCode() != 200) {
                        UpstreamClient.discard(response);
                        return Future.failedFuture(UpstreamError.of(response.statusCode(), ErrorCode.NAME_UNKNOWN, "repository " + repository));
                    }
                    Future<Buffer> body = response.body();
                    response.resume();
                    return body.map(buffer -> {
                        if (buffer.length() > MAX_BYTES) {
                            throw new OciException(ErrorCode.UNAVAILABLE, "the upstream's tag list is too large");
                        }
                        String type = response.getHeader("Content-Type");
                        Answer answer = new Answer(buffer, type == null ? "application/json" : type, System.currentTimeMillis(), "miss", null);
                        answers.put(key, answer);
                        return answer;
                    });
                })
                .recover(e -> {
                    boolean notFound = e instanceof OciException oci && oci.status() == 404;
                    if (cached == null || notFound) {
                        return Future.failedFuture(e);
                    }
                    return Future.succeededFuture(new Answer(cached.body(), cached.contentType(), cached.fetchedAt(), "stale",
                            UpstreamError.staleWarning(upstream.alias(), null)));
                });
    }
}
