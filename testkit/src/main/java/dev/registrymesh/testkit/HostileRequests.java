package dev.registrymesh.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Requests a registry or mirror must refuse the same way, whatever sits behind /v2 (the rules live in common's
 * {@code RequestGuard} and {@code OciErrorReplies}): paths not in normal form, a missing or unparseable Host, and
 * what the HTTP layer refuses before any route runs. Each service's test sends them over a raw socket.
 */
public final class HostileRequests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HostileRequests() {
    }

    /**
     * One hostile request: {@code raw} is sent as is ({@code {host}} replaced by the server's address); the answer
     * must be {@code status} with the spec's JSON error {@code code}, or with no body when the code is null (HEAD).
     */
    public record Case(String name, String raw, int status, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Paths that name another repository (or endpoint) once normalized: each must be 400 NAME_INVALID. {@code repo}
     * and {@code reference} are a valid repository and tag, so only the form is wrong.
     */
    public static List<Case> nonNormalPaths(String repo, String reference) {
        String manifest = "/manifests/" + reference;
        String[] paths = {
                "/v2/" + repo + "/../" + repo + manifest,
                "/v2/" + repo + "/./x" + manifest,
                "/v2/" + repo + "/%2e%2e/x" + manifest,
                "/v2/" + repo + "/%2E%2E/x" + manifest,
                "/v2/" + repo + "/.%2e/x" + manifest,
                "/v2/" + repo + "/%2e./x" + manifest,
                "/v2/" + repo + "/%2e/x" + manifest,
                "/v2/" + repo + "%2fx" + manifest,
                "/v2/" + repo + "%2Fx" + manifest,
                "/v2/" + repo + "%5cx" + manifest,
                "/v2/" + repo + "//x" + manifest,
                "//v2/" + repo + manifest,
                "/v2//" + repo + manifest,
                "/v2/" + repo + "/manifests/..",
                "/v2/" + repo + "/manifests/%2e%2e",
                "/v2/" + repo + "/x/..%2f" + manifest.substring(1),
                "/v2/%61" + repo.substring(1) + manifest,
                "/v2/" + repo + "/tags/../tags/list",
                "/v2/" + repo + "/../../v2/_catalog",
                "/v2/../admin/v1/prefetch",
                "/v2/../q/health",
        };
        List<Case> cases = new ArrayList<>();
        for (String path : paths) {
            cases.add(new Case("GET " + path, "GET " + path + " HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n", 400, "NAME_INVALID"));
        }
        cases.add(new Case("absolute-form with ..", "GET http://{host}/v2/" + repo + "/../" + repo + manifest
                + " HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n", 400, "NAME_INVALID"));
        cases.add(new Case("DELETE with ..", "DELETE /v2/" + repo + "/../" + repo + manifest
                + " HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n", 400, "NAME_INVALID"));
        return cases;
    }

    /** No Host, or one the HTTP layer cannot parse: 400 with the spec's body (it was a 500). */
    public static List<Case> badHosts(String path) {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("HTTP/1.1 without Host", "GET " + path + " HTTP/1.1\r\nConnection: close\r\n\r\n", 400, "UNSUPPORTED"));
        cases.add(new Case("HTTP/1.0 without Host", "GET " + path + " HTTP/1.0\r\n\r\n", 400, "UNSUPPORTED"));
        for (String host : List.of("[::1", "a b", ":::", "a:b:c", "[::1]x", "host:port", "a/b", "", "a@b")) {
            cases.add(new Case("HTTP/1.1 Host '" + host + "'", "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n",
                    400, "UNSUPPORTED"));
            cases.add(new Case("HTTP/1.0 Host '" + host + "'", "GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n", 400, "UNSUPPORTED"));
        }
        cases.add(new Case("two Host headers", "GET " + path + " HTTP/1.1\r\nHost: {host}\r\nHost: other\r\nConnection: close\r\n\r\n",
                400, "UNSUPPORTED"));
        return cases;
    }

    /**
     * What a registry's or mirror's HTTP layer refuses: over the services' own limits (RequestGuard), and what every
     * service refuses ({@link #transferCodings}, {@link #decoderFailures}).
     */
    public static List<Case> httpLayer(String repo) {
        String close = "Host: {host}\r\nConnection: close\r\n\r\n";
        String path = "/v2/" + repo + "/manifests/x";
        List<Case> cases = new ArrayList<>(List.of(
                new Case("URI over the limit", "GET /v2/" + repo + "/manifests/" + "a".repeat(9000) + " HTTP/1.1\r\n" + close, 414, "UNSUPPORTED"),
                new Case("headers over the limit", "GET /v2/ HTTP/1.1\r\nX-Big: " + "a".repeat(70_000) + "\r\n" + close, 431, "UNSUPPORTED")));
        cases.addAll(transferCodings(path));
        cases.addAll(decoderFailures(path));
        return cases;
    }

    /**
     * Transfer codings other than one final chunked, refused in every service by common's {@code TransferCodingGuard}
     * before the body is read. {@code path} is one the service takes a PUT or POST on, or any.
     */
    public static List<Case> transferCodings(String path) {
        String close = "Host: {host}\r\nConnection: close\r\n\r\n";
        String put = "PUT " + path + " HTTP/1.1\r\n";
        return List.of(
                new Case("transfer coding not ending in chunked", put + "Transfer-Encoding: gzip\r\n" + close, 400, "UNSUPPORTED"),
                new Case("chunked before another coding", put + "Transfer-Encoding: chunked, gzip\r\n" + close, 400, "UNSUPPORTED"),
                new Case("chunked twice", put + "Transfer-Encoding: chunked, chunked\r\n" + close + "0\r\n\r\n", 400, "UNSUPPORTED"),
                new Case("transfer coding other than chunked", put + "Transfer-Encoding: gzip, chunked\r\n" + close + "0\r\n\r\n",
                        501, "UNSUPPORTED"));
    }

    /**
     * What Netty's HTTP decoder refuses before any route runs, in every service (answered by common's
     * {@code DecoderRefusals}): a request line or headers over Netty's limits, a malformed request line, header or
     * Content-Length. {@code path} is one the service serves.
     */
    public static List<Case> decoderFailures(String path) {
        String close = "Host: {host}\r\nConnection: close\r\n\r\n";
        String put = "PUT " + path + " HTTP/1.1\r\n";
        return List.of(
                new Case("URI over the line limit", "GET " + path + "/" + "a".repeat(70_000) + " HTTP/1.1\r\n" + close, 414, "UNSUPPORTED"),
                new Case("URI of a megabyte", "GET " + path + "/" + "a".repeat(1 << 20) + " HTTP/1.1\r\n" + close, 414, "UNSUPPORTED"),
                new Case("headers over the header limit", "GET " + path + " HTTP/1.1\r\nX-Big: " + "a".repeat(140_000) + "\r\n" + close,
                        431, "UNSUPPORTED"),
                new Case("HEAD with headers over the header limit", "HEAD " + path + " HTTP/1.1\r\nX-Big: " + "a".repeat(140_000) + "\r\n"
                        + close, 431, null),
                new Case("request line with extra token", "GET " + path + " HTTP/1.1 extra\r\n" + close, 400, "UNSUPPORTED"),
                new Case("unknown HTTP version", "GET " + path + " HTTP/x.y\r\n" + close, 400, "UNSUPPORTED"),
                new Case("HTTP/0.9 request line", "GET " + path + "\r\n\r\n", 400, "UNSUPPORTED"),
                new Case("not HTTP at all", "\u0001\u0002garbage\r\n\r\n", 400, "UNSUPPORTED"),
                new Case("header without colon", "GET " + path + " HTTP/1.1\r\nBad Header\r\n" + close, 400, "UNSUPPORTED"),
                new Case("space in header name", "GET " + path + " HTTP/1.1\r\nX Y: z\r\n" + close, 400, "UNSUPPORTED"),
                new Case("space before the colon", "GET " + path + " HTTP/1.1\r\nX-Y : z\r\n" + close, 400, "UNSUPPORTED"),
                new Case("Content-Length not a number", put + "Content-Length: abc\r\n" + close, 400, "UNSUPPORTED"),
                new Case("negative Content-Length", put + "Content-Length: -1\r\n" + close, 400, "UNSUPPORTED"),
                new Case("Content-Length beyond 64 bits", put + "Content-Length: 99999999999999999999999\r\n" + close, 400, "UNSUPPORTED"),
                new Case("two different Content-Lengths", put + "Content-Length: 1\r\nContent-Length: 2\r\n" + close, 400, "UNSUPPORTED"),
                new Case("Content-Length with Transfer-Encoding", put + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n" + close
                        + "0\r\n\r\n", 400, "UNSUPPORTED"));
    }

    /**
     * Request targets {@link java.net.URI} refuses: Quarkus would answer them with a bare 400 before any route; the
     * services let them through to RequestGuard, which refuses them with the spec's body.
     */
    public static List<Case> badTargets(String repo) {
        String close = " HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n";
        List<Case> cases = new ArrayList<>();
        for (String c : List.of("\\", "\u007f", "\u0001", "|", "\"", "{", "}", "^", "`", "<", ">", "\u00c3\u00a9", "%zz", "%4", "%")) {
            String named = c.chars().mapToObj(ch -> ch < 0x21 || ch > 0x7e ? String.format("U+%04X", ch) : String.valueOf((char) ch))
                    .collect(java.util.stream.Collectors.joining());
            cases.add(new Case("'" + named + "' in the path", "GET /v2/" + repo + c + "x/manifests/latest" + close, 400, "NAME_INVALID"));
        }
        cases.add(new Case("backslash in a mount's from", "POST /v2/" + repo + "/blobs/uploads/?mount=sha256:" + "a".repeat(64)
                + "&from=" + repo + "\\x" + close, 400, "NAME_INVALID"));
        cases.add(new Case("malformed percent-encoding in query", "GET /v2/" + repo + "/tags/list?n=%zz" + close, 400, "UNSUPPORTED"));
        cases.add(new Case("unterminated percent-encoding in query", "GET /v2/" + repo + "/tags/list?%" + close, 400, "UNSUPPORTED"));
        return cases;
    }

    /**
     * Requests whose framing the server cannot trust, each followed on the same connection by a request that would
     * be answered on its own: the server must answer the first, say {@code Connection: close} and close, never
     * answering the second (request smuggling).
     */
    public static List<String> unframedThenSmuggled(String path) {
        String smuggled = "GET " + path + " HTTP/1.1\r\nHost: {host}\r\n\r\n";
        return List.of(
                "PUT " + path + " HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: gzip\r\n\r\n" + smuggled,
                "PUT " + path + " HTTP/1.1\r\nHost: {host}\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n" + smuggled,
                "GET " + path + " HTTP/1.1\r\nHost: {host}\r\nBad Header\r\n\r\n" + smuggled,
                "GET " + path + " HTTP/1.1 extra\r\nHost: {host}\r\n\r\n" + smuggled);
    }

    /** Sends one of {@link #unframedThenSmuggled} and checks that only the first request was answered. */
    public static void checkClosedAfterOneAnswer(int port, String raw) {
        String answer = RawHttp.exchangeUntilClosed(port, raw.replace("{host}", "127.0.0.1:" + port), 10_000);
        String what = raw.substring(0, raw.indexOf('\r')) + ": " + answer;
        long statusLines = Pattern.compile("(?m)^HTTP/1\\.[01] \\d{3} ").matcher(answer).results().count();
        assertTrue(answer.startsWith("HTTP/1.") && statusLines == 1, () -> "not one answer: " + what);
        assertTrue(answer.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n"), () -> "no Connection: close: " + what);
        assertTrue(answer.contains(" 400 "), () -> "not 400: " + what);
    }

    /** Sends {@code c} to the server on {@code port} and checks the answer. */
    public static RawHttp.Response check(int port, Case c) {
        RawHttp.Response response = RawHttp.exchange(port, c.raw().replace("{host}", "127.0.0.1:" + port));
        assertEquals(c.status(), response.status(), () -> c.name() + ": " + response);
        if (c.code() != null) {
            assertSpecError(response, c.code(), c.name());
        } else {
            assertEquals("", response.body(), () -> c.name() + ": " + response);
        }
        return response;
    }

    /** The spec's error body: JSON, {@code errors[0].code} as given, with a message. */
    public static void assertSpecError(RawHttp.Response response, String code, String what) {
        String type = response.header("Content-Type");
        assertTrue(type != null && type.startsWith("application/json"), () -> what + ": not JSON: " + response);
        try {
            JsonNode error = JSON.readTree(response.body()).path("errors").path(0);
            assertEquals(code, error.path("code").asText(), () -> what + ": " + response);
            assertTrue(error.hasNonNull("message"), () -> what + ": " + response);
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": body is not JSON: " + response, e);
        }
    }
}
