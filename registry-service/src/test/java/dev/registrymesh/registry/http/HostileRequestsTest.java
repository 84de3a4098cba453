package dev.registrymesh.registry.http;

import static dev.registrymesh.registry.Fixtures.error;
import static dev.registrymesh.registry.Fixtures.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.registrymesh.registry.Fixtures;
import dev.registrymesh.registry.Fixtures.Descriptor;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests sent byte for byte over a socket (HTTP clients add a Host and normalize paths): paths not in normal
 * form, mount sources not in normal form, bad Hosts and what the HTTP layer refuses. Auth is off here; the auth
 * gate's tests repeat a few with auth on, to show the guard runs first.
 */
@QuarkusTest
class HostileRequestsTest {
    private static final String REPO = "hostile/app";

    static Stream<Case> cases() {
        return Stream.of(HostileRequests.nonNormalPaths(REPO, "latest"), HostileRequests.badHosts("/v2/"),
                HostileRequests.badHosts("/v2/" + REPO + "/blobs/uploads/"), HostileRequests.httpLayer(REPO), HostileRequests.badTargets(REPO)).flatMap(List::stream);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refused(Case c) {
        HostileRequests.check(RestAssured.port, c);
    }

    static Stream<String> unframed() {
        return HostileRequests.unframedThenSmuggled("/v2/" + REPO + "/manifests/x").stream();
    }

    /** A request whose end cannot be told is answered alone: what follows it on the connection is never served. */
    @ParameterizedTest
    @MethodSource("unframed")
    void unframedRequestIsAnsweredAloneAndClosesTheConnection(String raw) {
        HostileRequests.checkClosedAfterOneAnswer(RestAssured.port, raw);
    }

    /** A path that normalizes into a repository that exists still reads and deletes nothing. */
    @Test
    void nonNormalPathNeverReachesTheRepositoryItNormalizesTo() {
        String repo = Fixtures.repo("target"); // t-<run>-<n>/target
        Descriptor blob = Fixtures.pushBlob(repo, Fixtures.bytes(64));
        int slash = repo.lastIndexOf('/');
        String sideways = "/v2/" + repo.substring(0, slash) + "/x/.." + repo.substring(slash) + "/blobs/" + blob.digest();
        for (String method : List.of("GET", "HEAD", "DELETE")) {
            RawHttp.Response response = RawHttp.exchange(RestAssured.port,
                    method + " " + sideways + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertEquals(400, response.status(), method + " " + sideways + ": " + response);
        }
        given().head("/v2/" + repo + "/blobs/" + blob.digest()).then().statusCode(200);
    }

    /** The {@code from} of a cross-repository mount, decoded, must be in normal form too. */
    @ParameterizedTest
    @ValueSource(strings = {"hostile/../src", "hostile/%2e%2e/src", "hostile/%2E%2E/src", "hostile//src", "/hostile/src", "hostile/src/",
            ".", "..", "hostile/./src", "hostile%5Csrc"})
    void mountSourceNotInNormalFormIsNameInvalid(String from) {
        String repo = Fixtures.repo("mount");
        Descriptor blob = Fixtures.pushBlob(Fixtures.repo("src"), Fixtures.bytes(32));
        RawHttp.Response response = RawHttp.exchange(RestAssured.port, "POST /v2/" + repo + "/blobs/uploads/?mount=" + blob.digest()
                + "&from=" + from + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertEquals(400, response.status(), from + ": " + response);
        HostileRequests.assertSpecError(response, "NAME_INVALID", from);
        error(given().get("/v2/" + repo + "/blobs/" + blob.digest()).then(), 404, "BLOB_UNKNOWN");
    }

    /** haproxy's {@code option httpchk} sends HTTP/1.0 without Host: outside /v2 that still works. */
    @Test
    void healthCheckWithoutHostStillWorks() {
        assertEquals(200, RawHttp.exchange(dev.registrymesh.testkit.Management.port(), "GET /q/health/ready HTTP/1.0\r\n\r\n").status());
    }
}
