package dev.registrymesh.registry.http;

import static dev.registrymesh.registry.Fixtures.error;
import static dev.registrymesh.registry.Fixtures.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.registrymesh.registry.Fixtures;
import dev.registrymesh.registry.Fixtures.Descriptor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** end-4a/4b (POST), end-5 (PATCH), end-6 (PUT), end-11 (mount), end-12 (GET status) and end-13 (DELETE) of uploads. */
@QuarkusTest
class UploadsTest {
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final String OCTETS = "application/octet-stream";

    /** Starts a session and returns its Location, checking the spec's answer on the way. */
    private static String start(String repo) {
        return given().post("/v2/" + repo + "/blobs/uploads/").then()
                .statusCode(202)
                .header("Location", matchesPattern("/v2/" + repo + "/blobs/uploads/" + UUID_PATTERN))
                .header("Range", "0-0")
                .header("Docker-Upload-UUID", matchesPattern(UUID_PATTERN))
                .header("OCI-Chunk-Min-Length", matchesPattern("[0-9]+"))
                .extract().header("Location");
    }

    private static Response patch(String location, byte[] chunk, String contentRange) {
        var request = given().contentType(OCTETS).body(chunk);
        if (contentRange != null) {
            request.header("Content-Range", contentRange);
        }
        return request.patch(location);
    }

    private static void assertBlob(String repo, String digest, byte[] expected) {
        assertArrayEquals(expected, given().get("/v2/" + repo + "/blobs/" + digest).then().statusCode(200)
                .header("Docker-Content-Digest", digest).extract().asByteArray());
    }

    private static void assertNoBlob(String repo, byte[] content) {
        given().head("/v2/" + repo + "/blobs/" + Fixtures.sha256(content)).then().statusCode(404);
    }

    @Test
    void sessionStartsWithAnUploadLocation() {
        String repo = Fixtures.repo("start");
        String location = start(repo);
        given().get(location).then().statusCode(204).header("Range", "0-0")
                .header("Docker-Upload-UUID", location.substring(location.lastIndexOf('/') + 1));
        // the trailing slash of the POST path is optional
        given().post("/v2/" + repo + "/blobs/uploads").then().statusCode(202);
    }

    @Test
    void monolithicPostWithTheRightDigestCreatesTheBlob() {
        String repo = Fixtures.repo("monolithic");
        byte[] content = Fixtures.bytes(5000);
        String digest = Fixtures.sha256(content);
        given().contentType(OCTETS).body(content).queryParam("digest", digest).post("/v2/" + repo + "/blobs/uploads/").then()
                .statusCode(201)
                .header("Location", "/v2/" + repo + "/blobs/" + digest)
                .header("Docker-Content-Digest", digest);
        assertBlob(repo, digest, content);
    }

    @Test
    void monolithicPostWithAWrongDigestKeepsNothing() {
        String repo = Fixtures.repo("monolithic");
        byte[] content = Fixtures.bytes(5000);
        String claimed = Fixtures.absentDigest();
        error(given().contentType(OCTETS).body(content).queryParam("digest", claimed).post("/v2/" + repo + "/blobs/uploads/").then(),
                400, "DIGEST_INVALID");
        given().head("/v2/" + repo + "/blobs/" + claimed).then().statusCode(404);
        assertNoBlob(repo, content);
    }

    @Test
    void monolithicSha512() {
        String repo = Fixtures.repo("sha512");
        byte[] content = Fixtures.bytes(3000);
        String digest = Fixtures.sha512(content);
        given().contentType(OCTETS).body(content).queryParam("digest", digest).post("/v2/" + repo + "/blobs/uploads/").then()
                .statusCode(201).header("Docker-Content-Digest", digest);
        assertBlob(repo, digest, content);
        error(given().contentType(OCTETS).body(Fixtures.bytes(10)).queryParam("digest", digest).post("/v2/" + repo + "/blobs/uploads/").then(),
                400, "DIGEST_INVALID");
    }

    @Test
    void chunksInOrderThenCloseWithoutBody() {
        String repo = Fixtures.repo("chunked");
        byte[] content = Fixtures.bytes(3000);
        String location = start(repo);

        String next = patch(location, Arrays.copyOfRange(content, 0, 1000), "0-999").then()
                .statusCode(202).header("Range", "0-999").header("Location", startsWith("/v2/" + repo + "/blobs/uploads/"))
                .extract().header("Location");
        next = patch(next, Arrays.copyOfRange(content, 1000, 3000), "1000-2999").then()
                .statusCode(202).header("Range", "0-2999").extract().header("Location");
        given().get(next).then().statusCode(204).header("Range", "0-2999").header("Location", next);

        String digest = Fixtures.sha256(content);
        given().queryParam("digest", digest).put(next).then()
                .statusCode(201)
                .header("Location", "/v2/" + repo + "/blobs/" + digest)
                .header("Docker-Content-Digest", digest);
        assertBlob(repo, digest, content);
        error(given().get(next).then(), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0-99", "200-299", "50-149"})
    void chunkOutOfOrderIs416WithTheRealRange(String contentRange) {
        String repo = Fixtures.repo("order");
        String location = start(repo);
        patch(location, Fixtures.bytes(100), "0-99").then().statusCode(202).header("Range", "0-99");
        error(patch(location, Fixtures.bytes(100), contentRange).then(), 416, "RANGE_INVALID")
                .header("Range", "0-99");
        // the session is intact: the right chunk still goes in
        patch(location, Fixtures.bytes(100), "100-199").then().statusCode(202).header("Range", "0-199");
    }

    /**
     * A Content-Range that is not {@code <start>-<end>} in bytes is 416 RANGE_INVALID on PATCH and on the closing
     * PUT, and the upload is untouched: same size, and the next right chunk still goes in.
     */
    @ParameterizedTest
    @ValueSource(strings = {"bytes=100-199", "bytes 100-199/200", "bytes 100-199/*", "items 100-199", "100-199/200", "-100-199",
            "100--199", "+100-199", "100-+199", "100", "100-", "-199", "abc-def", "0x64-0xc7", "199-100", "100 - 199", "100-199,200-299",
            "99999999999999999999-99999999999999999999", "garbage"})
    void malformedContentRangeIs416AndChangesNothing(String contentRange) {
        String repo = Fixtures.repo("badrange");
        String location = start(repo);
        patch(location, Fixtures.bytes(100), "0-99").then().statusCode(202).header("Range", "0-99");

        error(patch(location, Fixtures.bytes(100), contentRange).then(), 416, "RANGE_INVALID")
                .header("Content-Type", "application/json");
        given().get(location).then().statusCode(204).header("Range", "0-99");
        byte[] last = Fixtures.bytes(100);
        error(given().contentType(OCTETS).body(last).header("Content-Range", contentRange)
                .queryParam("digest", Fixtures.sha256(last)).put(location).then(), 416, "RANGE_INVALID");
        given().get(location).then().statusCode(204).header("Range", "0-99");

        patch(location, Fixtures.bytes(100), "100-199").then().statusCode(202).header("Range", "0-199");
    }

    @Test
    void firstChunkNotAtZeroIs416() {
        String location = start(Fixtures.repo("order"));
        error(patch(location, Fixtures.bytes(10), "10-19").then(), 416, "RANGE_INVALID").header("Range", "0-0");
    }

    @Test
    void contentRangeDisagreeingWithContentLengthIsRefused() {
        String location = start(Fixtures.repo("order"));
        error(patch(location, Fixtures.bytes(10), "0-19").then(), 416, "RANGE_INVALID");
        given().get(location).then().statusCode(204).header("Range", "0-0");
    }

    /** Docker's way: PATCH without Content-Range (also chunked transfer coding), then PUT with the last chunk. */
    @Test
    void streamModeThenCloseWithLastChunk() {
        String repo = Fixtures.repo("stream");
        byte[] content = Fixtures.bytes(70_000);
        String location = start(repo);
        location = patch(location, Arrays.copyOfRange(content, 0, 30_000), null).then()
                .statusCode(202).header("Range", "0-29999").extract().header("Location");
        location = given().contentType(OCTETS).body(new ByteArrayInputStream(Arrays.copyOfRange(content, 30_000, 60_000)))
                .patch(location).then()
                .statusCode(202).header("Range", "0-59999").extract().header("Location");

        String digest = Fixtures.sha256(content);
        given().contentType(OCTETS).body(Arrays.copyOfRange(content, 60_000, 70_000)).queryParam("digest", digest).put(location).then()
                .statusCode(201)
                .header("Location", "/v2/" + repo + "/blobs/" + digest)
                .header("Docker-Content-Digest", digest);
        assertBlob(repo, digest, content);
    }

    @Test
    void closeWithTheWholeBlobAsLastChunk() {
        String repo = Fixtures.repo("onechunk");
        byte[] content = Fixtures.bytes(2048);
        String digest = Fixtures.sha256(content);
        given().contentType(OCTETS).body(content).header("Content-Range", "0-2047").queryParam("digest", digest).put(start(repo)).then()
                .statusCode(201).header("Docker-Content-Digest", digest);
        assertBlob(repo, digest, content);
    }

    @Test
    void wrongDigestOnCloseDropsTheSessionAndKeepsNothing() {
        String repo = Fixtures.repo("wrong");
        byte[] content = Fixtures.bytes(500);
        String location = start(repo);
        patch(location, content, "0-499").then().statusCode(202);
        String claimed = Fixtures.absentDigest();

        error(given().queryParam("digest", claimed).put(location).then(), 400, "DIGEST_INVALID");
        error(given().get(location).then(), 404, "BLOB_UPLOAD_UNKNOWN");
        given().head("/v2/" + repo + "/blobs/" + claimed).then().statusCode(404);
        assertNoBlob(repo, content);
    }

    @Test
    void closeWithoutDigestIs400() {
        String location = start(Fixtures.repo("nodigest"));
        error(given().put(location).then(), 400, "DIGEST_INVALID");
        error(given().queryParam("digest", "sha256:nothex").put(location).then(), 400, "DIGEST_INVALID");
    }

    @Test
    void cancelDropsTheSession() {
        String repo = Fixtures.repo("cancel");
        String location = start(repo);
        byte[] content = Fixtures.bytes(100);
        patch(location, content, "0-99").then().statusCode(202);

        given().delete(location).then().statusCode(204);
        error(given().get(location).then(), 404, "BLOB_UPLOAD_UNKNOWN");
        error(given().delete(location).then(), 404, "BLOB_UPLOAD_UNKNOWN");
        error(patch(location, content, null).then(), 404, "BLOB_UPLOAD_UNKNOWN");
        error(given().queryParam("digest", Fixtures.sha256(content)).put(location).then(), 404, "BLOB_UPLOAD_UNKNOWN");
        assertNoBlob(repo, content);
    }

    /** Every upload method answers an unknown session, a malformed id or another repository's session alike. */
    @ParameterizedTest
    @ValueSource(strings = {"GET", "PATCH", "PUT", "DELETE"})
    void unknownSessionIs404(String method) {
        String repo = Fixtures.repo("unknown");
        String foreign = start(Fixtures.repo("elsewhere"));
        String foreignUuid = foreign.substring(foreign.lastIndexOf('/') + 1);
        for (String uuid : new String[] {UUID.randomUUID().toString(), "not-a-uuid", foreignUuid.toUpperCase(), foreignUuid}) {
            error(given().contentType(OCTETS).body(new byte[] {1}).queryParam("digest", Fixtures.absentDigest())
                    .request(method, "/v2/" + repo + "/blobs/uploads/" + uuid).then(), 404, "BLOB_UPLOAD_UNKNOWN");
        }
        // the other repository's session was not touched
        given().get(foreign).then().statusCode(204).header("Range", "0-0");
    }

    @Test
    void mountOfAPresentBlobIs201() {
        String from = Fixtures.repo("source");
        String to = Fixtures.repo("target");
        byte[] content = Fixtures.bytes(1234);
        Descriptor blob = Fixtures.pushBlob(from, content);

        given().queryParam("mount", blob.digest()).queryParam("from", from).post("/v2/" + to + "/blobs/uploads/").then()
                .statusCode(201)
                .header("Location", "/v2/" + to + "/blobs/" + blob.digest())
                .header("Docker-Content-Digest", blob.digest());
        assertBlob(to, blob.digest(), content);
    }

    @Test
    void mountOfAnAbsentBlobStartsASession() {
        String to = Fixtures.repo("target");
        byte[] content = Fixtures.bytes(1234);
        // the blob exists, but not in the repository named as the source
        Descriptor blob = Fixtures.pushBlob(Fixtures.repo("holder"), content);
        for (String digest : new String[] {blob.digest(), Fixtures.absentDigest()}) {
            String location = given().queryParam("mount", digest).queryParam("from", Fixtures.repo("empty"))
                    .post("/v2/" + to + "/blobs/uploads/").then()
                    .statusCode(202)
                    .header("Location", matchesPattern("/v2/" + to + "/blobs/uploads/" + UUID_PATTERN))
                    .header("Docker-Upload-UUID", matchesPattern(UUID_PATTERN))
                    .header("Range", "0-0")
                    .extract().header("Location");
            given().get(location).then().statusCode(204);
        }
        given().head("/v2/" + to + "/blobs/" + blob.digest()).then().statusCode(404);
    }

    @Test
    void mountWithInvalidArgumentsIs400() {
        String to = Fixtures.repo("target");
        error(given().queryParam("mount", "sha256:zz").queryParam("from", Fixtures.repo("x")).post("/v2/" + to + "/blobs/uploads/").then(),
                400, "DIGEST_INVALID");
        error(given().queryParam("mount", Fixtures.absentDigest()).queryParam("from", "Bad/Name").post("/v2/" + to + "/blobs/uploads/").then(),
                400, "NAME_INVALID");
        error(given().queryParam("mount", Fixtures.absentDigest()).queryParam("from", Fixtures.repo("x"))
                .queryParam("digest-algorithm", "md5").post("/v2/" + to + "/blobs/uploads/").then(), 400, "DIGEST_INVALID");
    }

    @Test
    void sha512SessionClosedWithSha512Digest() {
        String repo = Fixtures.repo("sha512");
        byte[] content = Fixtures.bytes(4000);
        String location = given().queryParam("digest-algorithm", "sha512").post("/v2/" + repo + "/blobs/uploads/").then()
                .statusCode(202).extract().header("Location");
        location = patch(location, Arrays.copyOfRange(content, 0, 2500), "0-2499").then().statusCode(202).extract().header("Location");
        String digest = Fixtures.sha512(content);
        given().contentType(OCTETS).body(Arrays.copyOfRange(content, 2500, 4000)).queryParam("digest", digest).put(location).then()
                .statusCode(201)
                .header("Docker-Content-Digest", digest)
                .header("Location", endsWith("/blobs/" + digest));
        assertBlob(repo, digest, content);
        assertNoBlob(repo, content); // not under its sha256
    }

    @Test
    void sessionClosedWithTheOtherAlgorithmStillVerifies() {
        String repo = Fixtures.repo("mixed");
        byte[] content = Fixtures.bytes(700);
        String location = given().queryParam("digest-algorithm", "sha512").post("/v2/" + repo + "/blobs/uploads/").then()
                .statusCode(202).extract().header("Location");
        patch(location, content, null).then().statusCode(202);
        given().queryParam("digest", Fixtures.sha256(content)).put(location).then().statusCode(201);
        assertBlob(repo, Fixtures.sha256(content), content);
    }

    @ParameterizedTest
    @ValueSource(strings = {"md5", "SHA256", "sha384", ""})
    void unsupportedDigestAlgorithmIs400(String algorithm) {
        error(given().queryParam("digest-algorithm", algorithm).post("/v2/" + Fixtures.repo("alg") + "/blobs/uploads/").then(),
                400, "DIGEST_INVALID");
    }

    /** The empty blob (OCI's empty config is two bytes, but some tools push zero-byte layers) both ways. */
    @Test
    void emptyBlob() {
        String repo = Fixtures.repo("empty");
        String digest = Fixtures.sha256(new byte[0]);
        given().contentType(OCTETS).body(new byte[0]).queryParam("digest", digest).post("/v2/" + repo + "/blobs/uploads/").then()
                .statusCode(201).header("Docker-Content-Digest", digest);
        given().get("/v2/" + repo + "/blobs/" + digest).then().statusCode(200).header("Content-Length", "0");

        String other = Fixtures.repo("empty");
        given().queryParam("digest", digest).put(start(other)).then().statusCode(201).header("Docker-Content-Digest", digest);
        given().head("/v2/" + other + "/blobs/" + digest).then().statusCode(200).header("Content-Length", "0");
    }

    @Test
    void twoSessionsOfTheSameRepositoryAreIndependent() {
        String repo = Fixtures.repo("parallel");
        String a = start(repo);
        String b = start(repo);
        assertNotEquals(a, b);
        patch(a, Fixtures.bytes(10), "0-9").then().statusCode(202).header("Range", "0-9");
        given().get(b).then().statusCode(204).header("Range", "0-0").header("Location", not(a));
    }
}
