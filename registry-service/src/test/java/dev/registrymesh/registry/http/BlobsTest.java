package dev.registrymesh.registry.http;

import static dev.registrymesh.registry.Fixtures.error;
import static dev.registrymesh.registry.Fixtures.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.registrymesh.registry.Fixtures;
import dev.registrymesh.registry.Fixtures.Descriptor;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** end-1 {@code /v2/}, end-2 blob GET/HEAD and end-10 blob DELETE. */
@QuarkusTest
class BlobsTest {
    private static final int SIZE = 1000;

    @Test
    void apiVersionCheck() {
        for (String path : new String[] {"/v2/", "/v2"}) {
            given().get(path).then().statusCode(200).header("Docker-Distribution-API-Version", "registry/2.0");
            given().head(path).then().statusCode(200).header("Docker-Distribution-API-Version", "registry/2.0");
        }
    }

    @Test
    void getAndHeadDescribeTheBlob() {
        String repo = Fixtures.repo("blobs");
        byte[] content = Fixtures.bytes(SIZE);
        Descriptor blob = Fixtures.pushBlob(repo, content);

        byte[] body = given().get("/v2/" + repo + "/blobs/" + blob.digest()).then()
                .statusCode(200)
                .header("Docker-Content-Digest", blob.digest())
                .header("Content-Length", String.valueOf(SIZE))
                .header("Content-Type", "application/octet-stream")
                .extract().asByteArray();
        assertArrayEquals(content, body);

        given().head("/v2/" + repo + "/blobs/" + blob.digest()).then()
                .statusCode(200)
                .header("Docker-Content-Digest", blob.digest())
                .header("Content-Length", String.valueOf(SIZE))
                .header("Content-Type", "application/octet-stream");
    }

    /** Range requests as resumable pulls send them: start-end, start-, the last N bytes, and overshooting ends. */
    @ParameterizedTest
    @CsvSource({
            "bytes=0-0,       0,   0",
            "bytes=0-99,      0,   99",
            "bytes=100-199,   100, 199",
            "bytes=900-,      900, 999",
            "bytes=-10,       990, 999",
            "bytes=-5000,     0,   999",
            "bytes=990-5000,  990, 999",
    })
    void rangeIsAnsweredWithPartialContent(String range, int start, int end) {
        String repo = Fixtures.repo("ranges");
        byte[] content = Fixtures.bytes(SIZE);
        Descriptor blob = Fixtures.pushBlob(repo, content);

        byte[] body = given().header("Range", range).get("/v2/" + repo + "/blobs/" + blob.digest()).then()
                .statusCode(206)
                .header("Content-Range", "bytes " + start + "-" + end + "/" + SIZE)
                .header("Content-Length", String.valueOf(end - start + 1))
                .header("Docker-Content-Digest", blob.digest())
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(content, start, end + 1), body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1000-", "bytes=5000-6000", "bytes=-0"})
    void unsatisfiableRangeIs416(String range) {
        String repo = Fixtures.repo("ranges");
        Descriptor blob = Fixtures.pushBlob(repo, Fixtures.bytes(SIZE));
        error(given().header("Range", range).get("/v2/" + repo + "/blobs/" + blob.digest()).then(), 416, "RANGE_INVALID")
                .header("Content-Range", "bytes */" + SIZE);
    }

    @Test
    void deleteUnlinksTheBlob() {
        String repo = Fixtures.repo("deleted");
        Descriptor blob = Fixtures.pushBlob(repo, Fixtures.bytes(SIZE));
        String url = "/v2/" + repo + "/blobs/" + blob.digest();

        given().delete(url).then().statusCode(202);
        given().head(url).then().statusCode(404);
        error(given().get(url).then(), 404, "BLOB_UNKNOWN");
        error(given().delete(url).then(), 404, "BLOB_UNKNOWN");
    }

    @Test
    void deletingFromOneRepositoryKeepsTheBlobInAnother() {
        String first = Fixtures.repo("one");
        String second = Fixtures.repo("two");
        byte[] content = Fixtures.bytes(SIZE);
        Descriptor blob = Fixtures.pushBlob(first, content);
        Fixtures.pushBlob(second, content);

        given().delete("/v2/" + first + "/blobs/" + blob.digest()).then().statusCode(202);
        assertArrayEquals(content, given().get("/v2/" + second + "/blobs/" + blob.digest()).then().statusCode(200)
                .extract().asByteArray());
    }

    @Test
    void blobOfAnotherRepositoryIsNotVisible() {
        Descriptor blob = Fixtures.pushBlob(Fixtures.repo("owner"), Fixtures.bytes(SIZE));
        String other = "/v2/" + Fixtures.repo("other") + "/blobs/" + blob.digest();
        error(given().get(other).then(), 404, "BLOB_UNKNOWN");
        given().head(other).then().statusCode(404);
    }

    @Test
    void unknownBlobIs404() {
        error(given().get("/v2/" + Fixtures.repo("none") + "/blobs/" + Fixtures.absentDigest()).then(), 404, "BLOB_UNKNOWN")
                .body("errors[0].message", equalTo("blob unknown to registry"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "sha256:abc",
            "sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
            "md5:d41d8cd98f00b204e9800998ecf8427e",
            "sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "latest",
    })
    void invalidDigestIs400(String digest) {
        String url = "/v2/" + Fixtures.repo("digests") + "/blobs/" + digest;
        error(given().get(url).then(), 400, "DIGEST_INVALID");
        error(given().delete(url).then(), 400, "DIGEST_INVALID");
        given().head(url).then().statusCode(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upper/case", "double__/underscore_", "-leading", "a//b", "trailing-", "_x", "a/_b"})
    void invalidNameIs400(String name) {
        error(given().get("/v2/" + name + "/blobs/" + Fixtures.absentDigest()).then(), 400, "NAME_INVALID");
    }
}
