package dev.registrymesh.common.http;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first route of every service (found by CDI through common's beans.xml): refuses, before its body is read, a
 * request whose message this service cannot take as HTTP/1.1 says, and closes the connection.
 * <ul>
 * <li>An HTTP version other than 1.0 and 1.1 over HTTP/1 syntax ({@code HTTP/2.0}, {@code HTTP/0.9}): 505. Netty
 *     takes any {@code HTTP/x.y} and would answer in that version.</li>
 * <li>Transfer codings that are not exactly one final {@code chunked} (RFC 9112 6.1 and 6.3): 400 when the length
 *     cannot be told, 501 for a coding other than chunked. Netty would take such a request as bodiless and read its
 *     body as the next request: a request hidden from whatever proxy sits in front.</li>
 * </ul>
 */
@Singleton
public class ProtocolGuard {
    /** Before everything else, {@link RequestGuard} included. */
    public static final int ORDER = RequestGuard.ORDER - 1;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(ProtocolGuard::check);
    }

    private static void check(RoutingContext ctx) {
        OciException refused = ctx.request().version() == null
                ? new OciException(ErrorCode.UNSUPPORTED, 505, "only HTTP/1.0, HTTP/1.1 and HTTP/2 are served", null)
                : problem(ctx.request().headers().getAll("Transfer-Encoding"));
        if (refused == null) {
            ctx.next();
            return;
        }
        // Nothing after this request on the connection can be trusted.
        ctx.response().putHeader("Connection", "close");
        ctx.addEndHandler(ended -> ctx.request().connection().close());
        OciErrorReplies.send(ctx, refused);
    }

    private static OciException problem(List<String> headers) {
        if (headers.isEmpty()) {
            return null;
        }
        List<String> codings = new ArrayList<>();
        for (String header : headers) {
            for (String coding : header.split(",")) {
                if (!coding.isBlank()) {
                    codings.add(coding.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        String named = String.join(", ", codings);
        if (codings.isEmpty() || codings.indexOf("chunked") != codings.size() - 1) {
            return new OciException(ErrorCode.UNSUPPORTED, 400, "Transfer-Encoding must end with chunked, once: " + named, null);
        }
        if (codings.size() > 1) {
            return new OciException(ErrorCode.UNSUPPORTED, 501, "transfer codings other than chunked are not supported: " + named, null);
        }
        return null;
    }
}
