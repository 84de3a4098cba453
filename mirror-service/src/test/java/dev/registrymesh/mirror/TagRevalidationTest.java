package dev.registrymesh.mirror;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.mirror.FaultyUpstream.Fault;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestImages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tags through the mirror against a real Distribution behind a fault-injecting proxy: fresh within the TTL
 * with no upstream call, revalidated by HEAD alone after it, served stale (with a Warning) when the upstream
 * rate-limits, fails or cannot be reached, and refused with the spec's JSON error once past the stale window.
 * The proxy's request counts prove that no GET follows a failed HEAD. Each case has its own tag, so no case
 * sees another's cache; times are short (TTL 1 s, window 3 s) and each case waits on its own clock.
 */
@QuarkusTest
@QuarkusTestResource(value = FaultyUpstreamTestResource.class, restrictToAnnotatedClass = true)
class TagRevalidationTest {
    private static final long TTL = FaultyUpstreamTestResource.TAG_TTL.toMillis();
    private static final long WINDOW = FaultyUpstreamTestResource.STALE_WINDOW.toMillis();
    private static final String REPO = "team/app";
    /** RFC 9111 5.5: warn-code SP warn-agent SP quoted warn-text, nothing after it but an optional date. */
    private static final String STALE_WARNING = "110 [^ ]+ \"[^\"]*\"";
    private static final String[] TAGS = {"fresh", "moved",
        "stale-rate-limited", "stale-unavailable", "stale-dropped", "stale-refused",
        "cold-rate-limited", "cold-unavailable", "cold-dropped", "cold-refused", "backoff"};

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TestImages.Image image;
    private static TestImages.Image next;

    @BeforeAll
    static void pushToRegistry() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Skopeo.available(), "skopeo is not installed");
        Path work = Files.createTempDirectory("mirror-stale-test-");
        image = TestImages.writeImage(work.resolve("img"), 31, 1, 2_000, "v1");
        next = TestImages.writeImage(work.resolve("next"), 32, 1, 2_000, "next");
        // Straight to Distribution: the proxy counts only what the mirror asks.
        String registry = "docker://" + FaultyUpstreamTestResource.registry.hostPort() + "/" + REPO;
        Skopeo.copy(image.ociRef(), registry + ":v1").orFail();
        Skopeo.copy(next.ociRef(), registry + ":next").orFail();
        for (String tag : TAGS) {
            tagInRegistry(tag, image);
        }
    }

    @AfterEach
    void heal() {
        FaultyUpstreamTestResource.proxy.heal();
    }

    @Test
    void freshWithinTheTtlThenRevalidatedByHeadAlone() throws InterruptedException {
        String path = manifestPath("fresh");
        served(given().get(path)).header("Warning", nullValue());
        long validated = System.currentTimeMillis();
        assertUpstream(path, 0, 1, "a cold tag is fetched with one GET");

        served(given().get(path));
        served(given().head(path));
        assertUpstream(path, 0, 1, "within the TTL the cache answers alone");

        sleepUntil(validated + TTL + 150);
        served(given().get(path)).header("Warning", nullValue());
        assertUpstream(path, 1, 1, "after the TTL, one HEAD and no GET: the digest did not change");

        served(given().get(path));
        assertUpstream(path, 1, 1, "the HEAD renewed the TTL");
    }

    /** The upstream fails after the tag was cached: stale within the window, a JSON error past it, never a GET. */
    @ParameterizedTest(name = "{0}: stale, then {1} {2}")
    @CsvSource({
            "RATE_LIMITED, 429, TOOMANYREQUESTS, 17",
            "UNAVAILABLE,  503, UNAVAILABLE,",
            "DROPPED,      503, UNAVAILABLE,",
            "REFUSED,      503, UNAVAILABLE,",
    })
    void staleIfErrorWithinTheWindowOnly(Fault fault, int status, String code, String retryAfter) throws InterruptedException {
        FaultyUpstream proxy = FaultyUpstreamTestResource.proxy;
        String path = manifestPath("stale-" + slug(fault));
        served(given().get(path));
        long validated = System.currentTimeMillis();
        assertUpstream(path, 0, 1, "cached");

        proxy.fail(fault);
        sleepUntil(validated + TTL + 150);
        byte[] body = served(given().get(path)).header("Warning", matchesPattern(STALE_WARNING))
                .header("Warning", containsString("registry.test")).extract().asByteArray();
        assertArrayEquals(image.manifest().bytes(), body);
        served(given().head(path)).header("Warning", matchesPattern(STALE_WARNING));
        int asked = fault == Fault.REFUSED ? 0 : 2; // one HEAD per client request; a refused one never arrives
        assertUpstream(path, asked, 1, "stale: the mirror asked with HEAD only");

        // The window counts from the last validation, and serving stale does not extend it.
        sleepUntil(validated + TTL + WINDOW + 200);
        ValidatableResponse refused = given().get(path).then().statusCode(status)
                .header("Content-Type", startsWith("application/json"))
                .body("errors[0].code", equalTo(code));
        refused.header("Retry-After", retryAfter == null ? nullValue() : equalTo(retryAfter));
        given().head(path).then().statusCode(status);
        assertUpstream(path, asked + (fault == Fault.REFUSED ? 0 : 2), 1, "past the window: still no GET");

        proxy.heal();
        served(given().get(path)).header("Warning", nullValue());
        assertUpstream(path, asked + (fault == Fault.REFUSED ? 1 : 3), 1, "recovered with a HEAD: the digest is the same");
    }

    /** Nothing cached to fall back on: the client gets the upstream's trouble as the spec's JSON error. */
    @ParameterizedTest(name = "{0}: {1} {2}")
    @CsvSource({
            "RATE_LIMITED, 429, TOOMANYREQUESTS, 17",
            "UNAVAILABLE,  503, UNAVAILABLE,",
            "DROPPED,      503, UNAVAILABLE,",
            "REFUSED,      503, UNAVAILABLE,",
    })
    void coldTagGetsTheUpstreamsError(Fault fault, int status, String code, String retryAfter) {
        FaultyUpstream proxy = FaultyUpstreamTestResource.proxy;
        String path = manifestPath("cold-" + slug(fault));
        proxy.fail(fault);
        given().get(path).then().statusCode(status)
                .header("Content-Type", startsWith("application/json"))
                .header("Retry-After", retryAfter == null ? nullValue() : equalTo(retryAfter))
                .body("errors[0].code", equalTo(code));
        given().head(path).then().statusCode(status)
                .header("Retry-After", retryAfter == null ? nullValue() : equalTo(retryAfter));
        int gets = fault == Fault.REFUSED ? 0 : 2;
        assertUpstream(path, 0, gets, "one GET per client request, no retry");

        proxy.heal();
        served(given().get(path)).header("Warning", nullValue());
        assertUpstream(path, 0, gets + 1, "the failure was not cached");
    }

    /** Docker Hub's HEAD is free and its GET is counted: a moved tag whose GET is refused is served stale. */
    @Test
    void movedTagWhoseGetIsRateLimitedIsServedStale() throws IOException, InterruptedException {
        FaultyUpstream proxy = FaultyUpstreamTestResource.proxy;
        String path = manifestPath("moved");
        served(given().get(path));
        long validated = System.currentTimeMillis();
        tagInRegistry("moved", next);

        proxy.fail(HttpMethod.GET, Fault.RATE_LIMITED);
        sleepUntil(validated + TTL + 150);
        served(given().get(path)).header("Warning", matchesPattern(STALE_WARNING));
        assertUpstream(path, 1, 2, "a HEAD saw the new digest, its GET got 429");

        proxy.heal();
        given().get(path).then().statusCode(200)
                .header("Docker-Content-Digest", next.manifest().digest())
                .header("Warning", nullValue());
        assertUpstream(path, 2, 3, "once the upstream lets the GET through, the new manifest");
    }

    /** An upstream that could not be reached is left alone for its backoff: its tags are served stale at once. */
    @Test
    void anUnreachableUpstreamIsLeftAloneForItsBackoff() throws InterruptedException {
        FaultyUpstream proxy = FaultyUpstreamTestResource.proxy;
        String path = "/v2/backoff.test/" + REPO + "/manifests/backoff";
        String upstreamPath = manifestPath("backoff");
        served(given().get(path));
        long validated = System.currentTimeMillis();
        assertUpstream(upstreamPath, 0, 1, "cached");

        proxy.fail(Fault.DROPPED);
        sleepUntil(validated + TTL + 150);
        served(given().get(path)).header("Warning", matchesPattern(STALE_WARNING));
        long failed = System.currentTimeMillis();
        served(given().get(path)).header("Warning", matchesPattern(STALE_WARNING));
        served(given().head(path)).header("Warning", matchesPattern(STALE_WARNING));
        assertUpstream(upstreamPath, 1, 1, "one HEAD found it unreachable; the next requests did not wait on it");

        proxy.heal();
        sleepUntil(failed + FaultyUpstreamTestResource.BACKOFF.toMillis() + 150);
        served(given().get(path)).header("Warning", nullValue());
        assertUpstream(upstreamPath, 2, 1, "after the backoff the upstream is asked again");
    }

    /**
     * The upstream connection breaks off mid-blob: the mirror goes on with a Range request from the bytes it
     * has, and its client sees no seam. At once (delay 0) the break may come before the mirror has read any
     * byte: then it asks again from byte 0.
     */
    @ParameterizedTest(name = "closed {0} ms after the first bytes")
    @CsvSource({"300, bytes=65536-", "0, bytes=(0|65536)-"})
    void aBlobCutOffMidBodyIsResumedByRange(long delay, String range) throws IOException {
        Path work = Files.createTempDirectory("mirror-cut-test-");
        TestImages.Image big = TestImages.writeImage(work.resolve("cut"), 33 + delay, 1, 1_000_000, "cut" + delay);
        Skopeo.copy(big.ociRef(), "docker://" + FaultyUpstreamTestResource.registry.hostPort() + "/" + REPO + ":cut" + delay).orFail();
        TestImages.Blob layer = big.plainBlobs().stream().max(java.util.Comparator.comparingLong(TestImages.Blob::size)).orElseThrow();
        String path = "/v2/" + REPO + "/blobs/" + layer.digest();

        FaultyUpstream proxy = FaultyUpstreamTestResource.proxy;
        proxy.cutDelayMillis = delay;
        proxy.fail(HttpMethod.GET, Fault.CUT);
        byte[] body = given().get(path).then().statusCode(200).extract().asByteArray();
        assertArrayEquals(layer.bytes(), body);
        assertUpstream(path, 0, 2, "the cut GET, then one GET for the rest");
        assertTrue(proxy.lastRange.matches(range), "resumed from " + proxy.lastRange);
    }

    /** Points {@code tag} at {@code target} in Distribution: one manifest PUT, its blobs are there already. */
    private static void tagInRegistry(String tag, TestImages.Image target) throws IOException, InterruptedException {
        HttpRequest put = HttpRequest.newBuilder(URI.create(FaultyUpstreamTestResource.registry.url() + manifestPath(tag)))
                .header("Content-Type", target.manifest().mediaType())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(target.manifest().bytes())).build();
        assertEquals(201, HTTP.send(put, HttpResponse.BodyHandlers.discarding()).statusCode(), "PUT " + tag);
    }

    private static ValidatableResponse served(io.restassured.response.Response response) {
        return response.then().statusCode(200)
                .header("Docker-Content-Digest", image.manifest().digest())
                .header("Content-Length", Integer.toString(image.manifest().bytes().length));
    }

    private static void assertUpstream(String path, int heads, int gets, String why) {
        FaultyUpstream proxy = FaultyUpstreamTestResource.proxy;
        String seen = " (the proxy saw " + proxy.counts() + ")";
        assertEquals(heads, proxy.count(HttpMethod.HEAD, path), why + ": HEADs" + seen);
        assertEquals(gets, proxy.count(HttpMethod.GET, path), why + ": GETs" + seen);
    }

    private static String manifestPath(String tag) {
        return "/v2/" + REPO + "/manifests/" + tag;
    }

    private static String slug(Fault fault) {
        return fault.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        long left = epochMillis - System.currentTimeMillis();
        if (left > 0) {
            Thread.sleep(left);
        }
    }
}
