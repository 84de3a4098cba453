package dev.registrymesh.registry.http;

import dev.registrymesh.common.ErrorBody;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.registry.blob.UploadOutOfOrderException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/** Turns every failure of a /v2 route into the spec's JSON error body and status. */
final class ErrorResponses {
    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    static void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            // The failure came after the status line was sent (a client gone mid-download): nothing to tell.
            response.reset();
            return;
        }
        if (!ctx.request().isEnded()) {
            ctx.request().resume(); // drain a body we will not read, so the connection stays usable
        }
        Throwable failure = ctx.failure();
        OciException error;
        if (failure instanceof OciException oci) {
            error = oci;
        } else if (failure == null && ctx.statusCode() == 404) {
            error = new OciException(ErrorCode.NAME_UNKNOWN, 404, "no such endpoint: " + ctx.request().path(), null);
        } else if (failure == null && ctx.statusCode() == 405) {
            error = new OciException(ErrorCode.UNSUPPORTED, 405, "method " + ctx.request().method() + " is not supported here", null);
        } else if (failure == null && ctx.statusCode() == 413) {
            error = new OciException(ErrorCode.SIZE_INVALID, 413, "request body too large", null);
        } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            error = new OciException(ErrorCode.UNSUPPORTED, ctx.statusCode(), "request refused", null);
        } else {
            LOG.errorf(failure, "%s %s failed", ctx.request().method(), ctx.request().path());
            error = new OciException(ErrorCode.UNKNOWN, "internal error; see the registry log");
        }
        if (failure instanceof UploadOutOfOrderException outOfOrder) {
            response.putHeader(Headers.RANGE, Ranges.uploadRange(outOfOrder.uploadedSize()));
        }
        send(response, error);
    }

    static void send(HttpServerResponse response, OciException error) {
        response.setStatusCode(error.status())
                .putHeader("Content-Type", "application/json")
                .putHeader(Headers.API_VERSION, "registry/2.0")
                .end(error.body().toJson());
    }

    static String json(ErrorBody body) {
        return body.toJson();
    }
}
