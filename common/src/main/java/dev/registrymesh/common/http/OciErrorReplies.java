package dev.registrymesh.common.http;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/** Answers a failed request with the spec's JSON error body and status, the same way in every service. */
public final class OciErrorReplies {
    public static final String API_VERSION_HEADER = "Docker-Distribution-API-Version";
    public static final String API_VERSION = "registry/2.0";
    private static final Logger LOG = Logger.getLogger(OciErrorReplies.class);

    private OciErrorReplies() {
    }

    /** A Vert.x failure handler: the route's failure, or the status Vert.x chose, as an OCI error. */
    public static void handle(RoutingContext ctx) {
        handle(ctx, 500);
    }

    /**
     * The same for a router error handler ({@code router.errorHandler(status, ...)}), which Vert.x may call with
     * no status on the context (a path it could not match, for example): {@code status} is used then.
     */
    public static void handle(RoutingContext ctx, int status) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            // The failure came after the status line went out (a client or upstream gone mid-body): the client
            // can only see a cut body.
            response.reset();
            return;
        }
        send(ctx, errorOf(ctx, status));
    }

    /** The OCI error a failed request stands for; anything unexpected is logged and becomes UNKNOWN (500). */
    public static OciException errorOf(RoutingContext ctx) {
        return errorOf(ctx, 500);
    }

    private static OciException errorOf(RoutingContext ctx, int fallbackStatus) {
        Throwable failure = ctx.failure();
        if (failure instanceof OciException oci) {
            return oci;
        }
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : fallbackStatus;
        if (failure == null && status == 404) {
            return new OciException(ErrorCode.NAME_UNKNOWN, 404, "no such endpoint: " + ctx.request().path(), null);
        }
        if (failure == null && status == 405) {
            return new OciException(ErrorCode.UNSUPPORTED, 405, "method " + ctx.request().method() + " is not supported here", null);
        }
        if (status == 413) {
            return new OciException(ErrorCode.SIZE_INVALID, 413, "request body too large", null);
        }
        if (status >= 400 && status < 500) {
            // A client error that Vert.x chose (an HTTP/1.1 request without a valid Host, a path that does not
            // decode): the client's fault, so its status and Vert.x's reason, never a 500.
            String reason = failure == null || failure.getMessage() == null ? "request refused" : failure.getMessage();
            return new OciException(ErrorCode.UNSUPPORTED, status, reason, null);
        }
        if (unreachable(failure)) {
            // A backend (the object store, Redis, another service) that cannot be reached: retry later, not a bug.
            LOG.warnf("%s %s: a backend cannot be reached: %s", ctx.request().method(), ctx.request().path(), failure.toString());
            return new OciException(ErrorCode.UNAVAILABLE, "a backend of this service cannot be reached; retry later");
        }
        LOG.errorf(failure, "%s %s failed", ctx.request().method(), ctx.request().path());
        return new OciException(ErrorCode.UNKNOWN, "internal error; see the server log");
    }

    /** True when {@code failure} or one of its causes is a connection that could not be made or timed out. */
    static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.NoRouteToHostException
                    || t instanceof java.net.UnknownHostException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    /** Sends the error (no body for HEAD), draining any request body left unread so the connection stays usable. */
    public static void send(RoutingContext ctx, OciException error) {
        if (!ctx.request().isEnded()) {
            ctx.request().resume();
        }
        ctx.response().setStatusCode(error.status())
                .putHeader("Content-Type", "application/json")
                .putHeader(API_VERSION_HEADER, API_VERSION)
                .end(ctx.request().method() == HttpMethod.HEAD ? "" : error.body().toJson());
    }
}
