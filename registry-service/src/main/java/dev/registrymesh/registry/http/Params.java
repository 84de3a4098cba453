package dev.registrymesh.registry.http;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.common.OciException;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** Reads and validates the parts of a registry URL. */
final class Params {
    private Params() {
    }

    /** The {@code <name>} of {@code /v2/<name>/...}, or NAME_INVALID: exactly the name the token was checked for. */
    static String repository(RoutingContext ctx) {
        return RepositoryName.of(ctx.pathParam("name")).path();
    }

    /** A digest from the path or the query, or DIGEST_INVALID. */
    static Digest digest(RoutingContext ctx, String param) {
        String value = ctx.pathParam(param);
        if (value == null) {
            value = ctx.request().getParam(param);
        }
        return parseDigest(value);
    }

    static Digest parseDigest(String value) {
        try {
            return Digest.parse(value);
        } catch (IllegalArgumentException e) {
            throw new OciException(ErrorCode.DIGEST_INVALID, e.getMessage(), Map.of("digest", String.valueOf(value)));
        }
    }

    /** The request's declared body length, or -1 when it did not declare one. */
    static long contentLength(RoutingContext ctx) {
        String header = ctx.request().getHeader("Content-Length");
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw new OciException(ErrorCode.SIZE_INVALID, "invalid Content-Length: " + header);
        }
    }

    /** True when the request carries a body: a positive length, or chunked transfer coding. */
    static boolean hasBody(RoutingContext ctx) {
        long length = contentLength(ctx);
        return length > 0 || (length < 0 && ctx.request().getHeader("Transfer-Encoding") != null);
    }
}
