package dev.registrymesh.mirror.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.registrymesh.testkit.HostileRequests;
import dev.registrymesh.testkit.HostileRequests.Case;
import dev.registrymesh.testkit.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The registry's hostile-request table against the mirror (auth off; ClientTokenGateTest repeats part of it with
 * auth on). Every case is refused before the mirror would ask an upstream anything.
 */
@QuarkusTest
class HostileRequestsTest {

    static Stream<Case> cases() {
        String repo = "library/app";
        return Stream.of(HostileRequests.nonNormalPaths(repo, "latest"), HostileRequests.badHosts("/v2/"),
                HostileRequests.badHosts("/v2/" + repo + "/manifests/latest"), HostileRequests.httpLayer(repo), HostileRequests.badTargets(repo),
                List.of(new Case("mount source with ..", "POST /v2/" + repo + "/blobs/uploads/?mount=sha256:"
                        + "0".repeat(64) + "&from=library/../x HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        400, "NAME_INVALID"),
                        new Case("peer endpoint reached through ..", "GET /v2/../internal/v1/blobs/sha256:" + "0".repeat(64)
                                + " HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n", 400, "NAME_INVALID")))
                .flatMap(List::stream);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refused(Case c) {
        HostileRequests.check(RestAssured.port, c);
    }

    static Stream<String> unframed() {
        return HostileRequests.unframedThenSmuggled("/v2/library/app/manifests/x").stream();
    }

    /** A request whose end cannot be told is answered alone: what follows it on the connection is never served. */
    @ParameterizedTest
    @MethodSource("unframed")
    void unframedRequestIsAnsweredAloneAndClosesTheConnection(String raw) {
        HostileRequests.checkClosedAfterOneAnswer(RestAssured.port, raw);
    }

    /** haproxy's {@code option httpchk} sends HTTP/1.0 without Host: outside /v2 that still works. */
    @Test
    void healthCheckWithoutHostStillWorks() {
        assertEquals(200, RawHttp.exchange(dev.registrymesh.testkit.Management.port(), "GET /q/health/live HTTP/1.0\r\n\r\n").status());
    }
}
