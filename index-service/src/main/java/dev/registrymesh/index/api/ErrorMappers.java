package dev.registrymesh.index.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.registrymesh.common.ErrorBody;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure leaves as the spec's error body; bad input is a 4xx, only our own bugs are 500s. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    static final String CHALLENGE = "Basic realm=\"registry-mesh\", charset=\"UTF-8\"";

    static Response error(int status, ErrorBody body) {
        Response.ResponseBuilder r = Response.status(status).type(MediaType.APPLICATION_JSON).entity(body.toJson());
        if (status == 401) {
            r.header("WWW-Authenticate", CHALLENGE);
        }
        return r.build();
    }

    static ErrorBody body(String code, String message) {
        return new ErrorBody(List.of(new ErrorBody.Entry(code, message, null)));
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response response = error(e.status(), e.body());
        if (e.retryAfter() == null) {
            return response;
        }
        long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
        return Response.fromResponse(response).header("Retry-After", Long.toString(seconds)).build();
    }

    @ServerExceptionMapper
    public Response oci(OciException e) {
        return error(e.status(), e.body());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return error(400, body("INVALID_REQUEST", "malformed JSON body: " + e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public Response illegalArgument(IllegalArgumentException e) {
        return error(400, body("INVALID_REQUEST", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return error(404, body("NOT_FOUND", "no such endpoint"));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return Response.fromResponse(error(405, body(ErrorCode.UNSUPPORTED.name(), "method not allowed"))).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        return error(status, body(status == 415 ? "UNSUPPORTED_MEDIA_TYPE" : status >= 500 ? ErrorCode.UNKNOWN.name() : "INVALID_REQUEST",
                e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("request failed", e);
        return error(500, body(ErrorCode.UNKNOWN.name(), "internal error"));
    }
}
