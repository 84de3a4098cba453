package dev.registrymesh.mirror.http;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/** Turns every failure of a /v2 or internal route into the spec's JSON error body and status. */
final class ErrorResponses {
    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    static void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            response.reset(); // failed after the status line went out: the client sees a cut body
            return;
        }
        Throwable failure = ctx.failure();
        OciException error;
        if (failure instanceof OciException oci) {
            error = oci;
        } else if (failure == null && ctx.statusCode() == 404) {
            error = new OciException(ErrorCode.NAME_UNKNOWN, "no such endpoint: " + ctx.request().path());
        } else if (failure == null && ctx.statusCode() == 405) {
            error = new OciException(ErrorCode.UNSUPPORTED, "this mirror is read-only");
        } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            error = new OciException(ErrorCode.UNSUPPORTED, ctx.statusCode(), "request refused", null);
        } else {
            LOG.errorf(failure, "%s %s failed", ctx.request().method(), ctx.request().path());
            error = new OciException(ErrorCode.UNKNOWN, "internal error; see the mirror log");
        }
        send(ctx, error);
    }

    static void send(RoutingContext ctx, OciException error) {
        if (!ctx.request().isEnded()) {
            ctx.request().resume();
        }
        ctx.response().setStatusCode(error.status())
                .putHeader("Content-Type", "application/json")
                .putHeader(MirrorRouter.API_VERSION, "registry/2.0")
                .end(ctx.request().method() == io.vertx.core.http.HttpMethod.HEAD ? "" : error.body().toJson());
    }
}
