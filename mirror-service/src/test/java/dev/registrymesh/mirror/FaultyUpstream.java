package dev.registrymesh.mirror;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on a loopback port in front of a real registry. It forwards every request, counts requests
 * by method and path (faulted ones too: what the mirror asked is what matters), and can be switched at run
 * time to answer like a rate-limited Docker Hub, a failing server, a host that drops connections, or a port
 * that refuses them.
 */
final class FaultyUpstream implements AutoCloseable {

    enum Fault {
        /** 429 with Retry-After and Docker Hub's error body. */
        RATE_LIMITED,
        /** 503 with the spec's JSON error body. */
        UNAVAILABLE,
        /** The connection is closed without an answer. */
        DROPPED,
        /** Nothing listens on the port. */
        REFUSED,
        /** The answer is forwarded, but the connection closes after its first {@link #CUT_AFTER} body bytes
         * (requests with a Range header, a client resuming, pass whole). */
        CUT
    }

    static final int CUT_AFTER = 64 * 1024;

    static final String RETRY_AFTER = "17";
    private static final String RATE_LIMIT_BODY = "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"You have reached your pull rate limit."
            + " You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit\"}]}";
    private static final String UNAVAILABLE_BODY = "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"service unavailable\"}]}";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
            "proxy-connection", "host");
    private static final long WAIT_SECONDS = 10;

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client;
    private final int targetPort;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile Fault fault;
    /** How long after the cut bytes the {@link Fault#CUT} connection closes. */
    volatile long cutDelayMillis = 300;
    /** The Range header of the last request that had one. */
    volatile String lastRange;
    private volatile HttpMethod faultyMethod; // null: every method
    private volatile String faultyPathPart; // null: every path
    private HttpServer server;
    private int port;

    private FaultyUpstream(int targetPort) {
        this.targetPort = targetPort;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(16));
    }

    /** A proxy to {@code 127.0.0.1:targetPort}, forwarding until told otherwise. */
    static FaultyUpstream start(int targetPort) {
        FaultyUpstream proxy = new FaultyUpstream(targetPort);
        proxy.listen(0);
        return proxy;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Every request from now on meets {@code fault}. */
    synchronized void fail(Fault fault) {
        apply(fault, null);
    }

    /** Requests of {@code method} meet {@code fault}; others are forwarded. */
    synchronized void fail(HttpMethod method, Fault fault) {
        apply(fault, method);
    }

    /** Requests of {@code method} whose path holds {@code pathPart} meet {@code fault}; others are forwarded. */
    synchronized void fail(HttpMethod method, String pathPart, Fault fault) {
        apply(fault, method);
        this.faultyPathPart = pathPart;
    }

    /** Everything is forwarded again. */
    synchronized void heal() {
        apply(null, null);
    }

    /** How many {@code method path} requests reached the proxy (query strings ignored). */
    int count(HttpMethod method, String path) {
        AtomicInteger n = counts.get(method.name() + " " + path);
        return n == null ? 0 : n.get();
    }

    /** All counts so far, for assertion messages. */
    Map<String, Integer> counts() {
        Map<String, Integer> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    private void apply(Fault next, HttpMethod method) {
        this.faultyMethod = method;
        this.faultyPathPart = null;
        this.fault = next;
        boolean refuse = next == Fault.REFUSED && method == null;
        if (refuse && server != null) {
            await(server.close());
            server = null;
            // Pooled keep-alive connections must go too, or the mirror would still reach the registry.
            connections.forEach(HttpConnection::close);
            connections.clear();
        } else if (!refuse && server == null) {
            listen(port);
        }
    }

    private void listen(int wanted) {
        HttpServer created = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(wanted).setReuseAddress(true));
        created.connectionHandler(connection -> {
            connections.add(connection);
            connection.closeHandler(v -> connections.remove(connection));
        });
        created.requestHandler(this::handle);
        server = await(created.listen());
        port = server.actualPort();
    }

    private void handle(HttpServerRequest in) {
        counts.computeIfAbsent(in.method().name() + " " + in.path(), k -> new AtomicInteger()).incrementAndGet();
        if (in.getHeader("Range") != null) {
            lastRange = in.getHeader("Range");
        }
        Fault now = fault;
        HttpMethod only = faultyMethod;
        String part = faultyPathPart;
        if (now == null || only != null && only != in.method() || part != null && !in.path().contains(part)
                || now == Fault.CUT && in.getHeader("Range") != null) {
            forward(in, false);
            return;
        }
        switch (now) {
            case RATE_LIMITED -> answer(in.response().setStatusCode(429).putHeader("Retry-After", RETRY_AFTER), in, RATE_LIMIT_BODY);
            case UNAVAILABLE -> answer(in.response().setStatusCode(503), in, UNAVAILABLE_BODY);
            case DROPPED, REFUSED -> in.connection().close(); // REFUSED for one method only: as close as HTTP gets
            case CUT -> forward(in, true);
        }
    }

    private static void answer(HttpServerResponse response, HttpServerRequest in, String body) {
        response.putHeader("Content-Type", "application/json")
                .putHeader("Docker-Distribution-API-Version", "registry/2.0")
                .putHeader("Content-Length", Integer.toString(body.length()));
        if (in.method() == HttpMethod.HEAD) {
            response.end();
        } else {
            response.end(body);
        }
    }

    private void forward(HttpServerRequest in, boolean cut) {
        in.pause();
        RequestOptions options = new RequestOptions().setMethod(in.method()).setHost("127.0.0.1").setPort(targetPort).setURI(in.uri());
        in.headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                options.addHeader(h.getKey(), h.getValue());
            }
        });
        client.request(options).compose(out -> out.send(in)).onComplete(ar -> {
            HttpServerResponse response = in.response();
            if (ar.failed()) {
                response.setStatusCode(502).end();
                return;
            }
            HttpClientResponse back = ar.result();
            response.setStatusCode(back.statusCode()).setStatusMessage(back.statusMessage());
            back.headers().forEach(h -> {
                if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                    response.headers().add(h.getKey(), h.getValue());
                }
            });
            if (back.getHeader("Content-Length") == null && in.method() != HttpMethod.HEAD) {
                response.setChunked(true);
            }
            if (!cut) {
                back.pipeTo(response);
                return;
            }
            long[] sent = {0};
            back.handler(data -> {
                if (sent[0] >= CUT_AFTER) {
                    return;
                }
                int take = (int) Math.min(data.length(), CUT_AFTER - sent[0]);
                sent[0] += take;
                response.write(data.slice(0, take));
                if (sent[0] >= CUT_AFTER) {
                    // After cutDelayMillis, so that the receiver may have taken these bytes in: the break is mid-body.
                    back.request().reset();
                    long delay = cutDelayMillis;
                    if (delay > 0) {
                        vertx.setTimer(delay, t -> in.connection().close());
                    } else {
                        in.connection().close();
                    }
                }
            });
        });
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the fault-injecting proxy did not start or stop", e);
        }
    }

    @Override
    public void close() {
        await(vertx.close());
    }
}
