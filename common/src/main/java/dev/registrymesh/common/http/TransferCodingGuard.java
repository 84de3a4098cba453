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
 * The first route of every service (found by CDI through common's beans.xml): a request whose transfer codings are
 * not exactly one final {@code chunked} is refused before its body is read and the connection is closed
 * (RFC 9112 6.1 and 6.3: 400 when its length cannot be told, 501 for a coding other than chunked). Netty's decoder
 * would frame such a request as bodiless and read its body as the next request: a request hidden from whatever
 * proxy sits in front.
 */
@Singleton
public class TransferCodingGuard {
    /** Before everything else, {@link RequestGuard} included. */
    public static final int ORDER = RequestGuard.ORDER - 1;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(TransferCodingGuard::check);
    }

    private static void check(RoutingContext ctx) {
        OciException refused = problem(ctx.request().headers().getAll("Transfer-Encoding"));
        if (refused == null) {
            ctx.next();
            return;
        }
        // Where this request's body ends is unknown, so nothing after it on the connection can be trusted.
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
