package dev.registrymesh.mirror.upstream;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import io.vertx.core.http.HttpClientResponse;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** What a client of the mirror is told when the upstream answered {@code status} (or could not be reached). */
public final class UpstreamError {
    private UpstreamError() {
    }

    /** @param notFound the code for a 404 (MANIFEST_UNKNOWN, BLOB_UNKNOWN...) */
    public static OciException of(int status, ErrorCode notFound, String what) {
        return switch (status) {
            case 404 -> new OciException(notFound, what + " not found upstream");
            case 401, 403 -> new OciException(ErrorCode.DENIED, "the upstream refused access to " + what + " (" + status + ")");
            case 429 -> new OciException(ErrorCode.TOOMANYREQUESTS, "the upstream is rate-limiting requests for " + what);
            default -> new OciException(ErrorCode.UNAVAILABLE, "the upstream answered " + status + " for " + what);
        };
    }

    /**
     * As {@link #of(int, ErrorCode, String)} for the upstream's answer, keeping the Retry-After of a 429 or 503
     * so that the client backs off as long as the upstream asked.
     */
    public static OciException of(HttpClientResponse response, ErrorCode notFound, String what) {
        int status = response.statusCode();
        OciException error = of(status, notFound, what);
        String retryAfter = response.getHeader("Retry-After");
        return (status == 429 || status == 503) && isRetryAfter(retryAfter) ? new RetryLater(error, retryAfter.trim()) : error;
    }

    /** Delay-seconds or an HTTP-date; anything else from the upstream is not passed on. */
    private static boolean isRetryAfter(String value) {
        if (value == null) {
            return false;
        }
        String v = value.trim();
        if (v.matches("\\d{1,10}")) {
            return true;
        }
        try {
            DateTimeFormatter.RFC_1123_DATE_TIME.parse(v);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** An upstream refusal that said when to try again; the client is told the same in a Retry-After. */
    public static final class RetryLater extends OciException {
        private final String retryAfter;

        RetryLater(OciException error, String retryAfter) {
            super(error.code(), error.status(), error.getMessage(), error.detail());
            this.retryAfter = retryAfter;
        }

        public String retryAfter() {
            return retryAfter;
        }
    }

    public static OciException unreachable(String what, Throwable cause) {
        return new OciException(ErrorCode.UNAVAILABLE, "the upstream is unreachable for " + what + ": " + cause.getMessage());
    }

    /**
     * The {@code Warning} on content served stale (RFC 9111 5.5: {@code 110 <agent> "<text>"}, nothing after
     * the quoted text); {@code reason} loses what a quoted-string cannot hold.
     */
    public static String staleWarning(String upstreamAlias, String reason) {
        String text = "Response is Stale: upstream " + upstreamAlias + (reason == null ? " failed" : ": " + reason);
        return "110 - \"" + text.replaceAll("[\\p{Cntrl}\"\\\\]", "'") + "\"";
    }

    /** True for answers after which stale content may be served: rate limits and server errors. */
    public static boolean allowsStale(int status) {
        return status == 429 || status >= 500;
    }

    /** True for a failure of ours after which stale content may be served: a rate limit, a failing or unreachable upstream. */
    public static boolean allowsStale(Throwable failure) {
        return failure instanceof OciException oci && (oci.code() == ErrorCode.TOOMANYREQUESTS || oci.code() == ErrorCode.UNAVAILABLE);
    }
}
