package dev.registrymesh.common.http;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * The first route of the registry and the mirror: refuses requests whose form would let the service act on
 * something else than what the client (or a proxy's rule) named, before any other route or the auth gate runs,
 * whether auth is on or off.
 * <ul>
 * <li>a request target over {@value #MAX_URI_LENGTH} characters: 414; headers over {@value #MAX_HEADER_BYTES} bytes: 431;</li>
 * <li>a path not in {@link PathForm normal form}: 400 NAME_INVALID (never normalized into another path);</li>
 * <li>a mount's {@code from} with empty or dot segments: 400 NAME_INVALID;</li>
 * <li>a query string that does not decode: 400 UNSUPPORTED;</li>
 * <li>under /v2, no valid Host, an empty one or several (RFC 9112 3.2): 400 UNSUPPORTED. Vert.x already
 *     refuses HTTP/1.1 without one (answered through {@link OciErrorReplies}); this adds HTTP/1.0, whose token
 *     challenge and links need the Host too. Other
 *     paths keep HTTP/1.0 without Host: haproxy's {@code option httpchk} sends exactly that.</li>
 * </ul>
 */
public final class RequestGuard implements Handler<RoutingContext> {
    /** Before the API-version header (-1000) and the auth gates (-100). */
    public static final int ORDER = -10_000;
    /**
     * The longest request target and the most header bytes answered normally. The services let Netty take longer
     * ones (quarkus.http.limits: 64 KiB line, 128 KiB headers) so that these are refused here, with the spec's
     * body; beyond Netty's limits the HTTP layer answers 414/431 itself, without a body.
     */
    public static final int MAX_URI_LENGTH = 8192;
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    /** Quarkus' switch for its own check of request targets (read once, when its HTTP layer loads). */
    public static final String QUARKUS_URI_VALIDATION_OFF = "vertx.disableURIValidation";

    private RequestGuard() {
    }

    /**
     * Lets every request target reach the routes, where this guard refuses what it must with the spec's body.
     * Otherwise Quarkus answers a target that {@link java.net.URI} cannot parse (a backslash, a control character,
     * a bad percent escape) with a bare 400 before any route runs. Quarkus reads the switch once, when its HTTP
     * layer loads: services call this first thing in {@code main}, and their tests set it for the test JVM.
     */
    public static void receiveEveryRequestTarget() {
        System.setProperty(QUARKUS_URI_VALIDATION_OFF, "true");
    }

    /** Registers the guard first on {@code router}. */
    public static void install(Router router) {
        router.route().order(ORDER).handler(new RequestGuard());
    }

    @Override
    public void handle(RoutingContext ctx) {
        OciException refused = check(ctx.request());
        if (refused != null) {
            OciErrorReplies.send(ctx, refused);
        } else {
            ctx.next();
        }
    }

    private static OciException check(HttpServerRequest request) {
        if (request.uri().length() > MAX_URI_LENGTH) {
            return new OciException(ErrorCode.UNSUPPORTED, 414, "request target longer than " + MAX_URI_LENGTH + " characters", null);
        }
        if (headerBytes(request) > MAX_HEADER_BYTES) {
            return new OciException(ErrorCode.UNSUPPORTED, 431, "request headers larger than " + MAX_HEADER_BYTES + " bytes", null);
        }
        String path = request.path();
        String problem = PathForm.problem(path);
        if (problem != null) {
            return new OciException(ErrorCode.NAME_INVALID, "path not in normal form: " + problem, Map.of("path", String.valueOf(path)));
        }
        String from;
        try {
            from = request.params().get("from");
        } catch (IllegalArgumentException e) {
            // Netty's decoder refuses most of these already; handlers must never see one.
            return new OciException(ErrorCode.UNSUPPORTED, 400, "malformed query string: " + e.getMessage(), null);
        }
        if (from != null && (problem = PathForm.nameProblem(from)) != null) {
            return new OciException(ErrorCode.NAME_INVALID, "mount source not in normal form: " + problem, Map.of("from", from));
        }
        if (V2Paths.isApi(path) && !hasOneValidHost(request)) {
            return new OciException(ErrorCode.UNSUPPORTED, 400, "exactly one Host header, with a valid host[:port], is required", null);
        }
        return null;
    }

    private static long headerBytes(HttpServerRequest request) {
        long total = 0;
        for (var header : request.headers()) {
            total += header.getKey().length() + header.getValue().length() + 4;
        }
        return total;
    }

    /** The token challenge names the Host as the service, so it must be one, parseable and not empty. */
    private static boolean hasOneValidHost(HttpServerRequest request) {
        HostAndPort authority = request.authority();
        return authority != null && !authority.host().isEmpty() && request.headers().getAll("Host").size() == 1;
    }
}
