package dev.registrymesh.mirror.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registrymesh.mirror.config.MirrorConfig;
import dev.registrymesh.mirror.config.Upstream;
import dev.registrymesh.mirror.metrics.MirrorMetrics;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Talks to upstream registries and to peer nodes over one pooled Vert.x HTTP client. Answers a Bearer
 * challenge the way Docker does (token from the realm for the scope, cached until it expires, one retry),
 * follows redirects to blob storage without the registry's credentials, and hands back the response
 * paused so that callers stream its body with back-pressure.
 */
@ApplicationScoped
public class UpstreamClient {
    private static final Logger LOG = Logger.getLogger(UpstreamClient.class);
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_CHUNK = 256 * 1024;
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Token(String authorization, Instant expires) {
    }

    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final HttpClient http;
    private final MirrorConfig config;
    private final MirrorMetrics metrics;

    @Inject
    public UpstreamClient(Vertx vertx, MirrorConfig config, MirrorMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(64)
                .setMaxChunkSize(MAX_CHUNK)
                .setTryUseCompression(false)
                .setForceSni(true) // CDNs behind blob redirects need the server name
                .setConnectTimeout((int) config.upstreamConnectTimeout().toMillis()));
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /**
     * Sends {@code method path} to the upstream with the token dance. The returned response is paused and
     * may have any status; the caller reads or discards its body.
     */
    public Future<HttpClientResponse> send(Upstream upstream, HttpMethod method, String repository, String pathAndQuery, MultiMap headers) {
        String scope = "repository:" + repository + ":pull";
        String key = upstream.alias() + " " + scope;
        long started = System.nanoTime();
        Token cached = tokens.get(key);
        String auth = cached != null && cached.expires().isAfter(Instant.now()) ? cached.authorization() : null;
        String url = upstream.baseUrl() + pathAndQuery;
        return exchange(method, url, headers, auth, MAX_REDIRECTS).compose(response -> {
            if (response.statusCode() != 401) {
                return Future.succeededFuture(response);
            }
            BearerChallenge challenge = BearerChallenge.parse(response.getHeader("WWW-Authenticate"));
            discard(response);
            return authorize(upstream, challenge, scope).compose(token -> {
                tokens.put(key, token);
                return exchange(method, url, headers, token.authorization(), MAX_REDIRECTS);
            }, e -> {
                LOG.debugf("no token from %s for %s: %s", upstream, scope, e.getMessage());
                return Future.failedFuture(e);
            });
        }).onComplete(r -> metrics.upstreamLatency(upstream.alias(), method.name(), System.nanoTime() - started));
    }

    /** A GET to a peer node (or any URL) without the token dance; paused like {@link #send}. */
    public Future<HttpClientResponse> get(String url, MultiMap headers) {
        return exchange(HttpMethod.GET, url, headers, null, 0);
    }

    private Future<HttpClientResponse> exchange(HttpMethod method, String url, MultiMap headers, String authorization, int redirectsLeft) {
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setAbsoluteURI(url)
                .setFollowRedirects(false)
                .setIdleTimeout(config.upstreamIdleTimeout().toMillis());
        if (headers != null) {
            options.setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers));
        }
        if (authorization != null) {
            options.putHeader("Authorization", authorization);
        }
        return http.request(options).compose(request -> request.send().map(response -> {
            response.pause(); // nothing flows until the caller chooses where the body goes
            return response;
        })).compose(response -> {
            int status = response.statusCode();
            String location = response.getHeader("Location");
            if (redirectsLeft > 0 && location != null && (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)) {
                discard(response);
                // Blob storage behind a redirect has its own credentials in the URL; ours would be refused.
                return exchange(method, URI.create(url).resolve(location).toString(), headers, null, redirectsLeft - 1);
            }
            return Future.succeededFuture(response);
        });
    }

    private Future<Token> authorize(Upstream upstream, BearerChallenge challenge, String scope) {
        String basic = upstream.username().isPresent() && upstream.password().isPresent()
                ? "Basic " + Base64.getEncoder().encodeToString((upstream.username().get() + ":" + upstream.password().get()).getBytes(StandardCharsets.UTF_8))
                : null;
        if (challenge != null && challenge.isBasic() && basic != null) {
            return Future.succeededFuture(new Token(basic, Instant.now().plus(Duration.ofDays(1))));
        }
        if (challenge == null || !challenge.isBearer()) {
            return Future.failedFuture(new IllegalStateException("the upstream asked for credentials without a Bearer challenge"));
        }
        StringBuilder url = new StringBuilder(challenge.realm());
        url.append(challenge.realm().contains("?") ? '&' : '?');
        if (challenge.service() != null) {
            url.append("service=").append(encode(challenge.service())).append('&');
        }
        url.append("scope=").append(encode(challenge.scope() != null ? challenge.scope() : scope));
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Accept", "application/json");
        return exchange(HttpMethod.GET, url.toString(), headers, basic, MAX_REDIRECTS)
                .compose(response -> {
                    Future<io.vertx.core.buffer.Buffer> body = response.body();
                    response.resume();
                    return body.map(buffer -> {
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("token server answered " + response.statusCode());
                        }
                        return buffer;
                    });
                })
                .map(buffer -> {
                    try {
                        JsonNode json = JSON.readTree(buffer.getBytes());
                        String token = json.hasNonNull("token") ? json.get("token").asText() : json.path("access_token").asText(null);
                        if (token == null || token.isEmpty()) {
                            throw new IllegalStateException("the token server's answer has no token");
                        }
                        Duration lifetime = json.hasNonNull("expires_in") ? Duration.ofSeconds(json.get("expires_in").asLong()) : DEFAULT_TOKEN_LIFETIME;
                        // Renew a little early so that a token never expires between our check and its use.
                        Duration usable = lifetime.minus(Duration.ofSeconds(Math.min(10, lifetime.toSeconds() / 4)));
                        return new Token("Bearer " + token, Instant.now().plus(usable));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("the token server's answer is not JSON", e);
                    }
                });
    }

    /** Drops a response we do not want; its (small) body is drained so the connection can be reused. */
    public static void discard(HttpClientResponse response) {
        response.handler(null);
        response.exceptionHandler(e -> { });
        response.resume();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
