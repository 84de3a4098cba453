package dev.registrymesh.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registrymesh.common.OciException;
import dev.registrymesh.common.auth.Scopes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequiredAccessTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "GET|/v2/|-|-|''",
            "GET|/v2|-|-|''",
            "GET|/v2/unknown|-|-|''",
            "GET|/v2/_catalog|-|-|registry:catalog:*",
            "GET|/v2/alice/app/manifests/latest|-|-|repository:alice/app:pull",
            "HEAD|/v2/alice/app/manifests/latest|-|-|repository:alice/app:pull",
            "PUT|/v2/alice/app/manifests/latest|-|-|repository:alice/app:pull,push",
            "DELETE|/v2/alice/app/manifests/sha256:abc|-|-|repository:alice/app:delete",
            "GET|/v2/a/tags/list|-|-|repository:a:pull",
            "GET|/v2/a/b/c/referrers/sha256:abc|-|-|repository:a/b/c:pull",
            "GET|/v2/a/blobs/sha256:abc|-|-|repository:a:pull",
            "DELETE|/v2/a/blobs/sha256:abc|-|-|repository:a:delete",
            "POST|/v2/a/blobs/uploads/|-|-|repository:a:pull,push",
            "PATCH|/v2/a/blobs/uploads/123e4567|-|-|repository:a:pull,push",
            "PUT|/v2/a/blobs/uploads/123e4567|-|-|repository:a:pull,push",
            "GET|/v2/a/blobs/uploads/123e4567|-|-|repository:a:pull",
            "POST|/v2/a/blobs/uploads/|sha256:abc|bob/base|repository:a:pull,push repository:bob/base:pull",
            "POST|/v2/a/blobs/uploads/|sha256:abc|-|repository:a:pull,push",
            "POST|/v2/a/blobs/uploads/|-|bob/base|repository:a:pull,push",
            "POST|/v2/a/blobs/uploads/|sha256:abc|a|repository:a:pull,push",
            "POST|/v2/a/blobs/uploads/|sha256:abc|BAD!|repository:a:pull,push",
            "GET|/v2/a/blobs/b/manifests/x|-|-|repository:a/blobs/b:pull",
            "GET|/v2/a/manifests/b/blobs/sha256:abc|-|-|repository:a/manifests/b:pull",
            "GET|/v2/tags/list/tags/list|-|-|repository:tags/list:pull",
            "OPTIONS|/v2/a/manifests/x|-|-|repository:a:pull,push",
    })
    void mapsRequestsToScopes(String method, String path, String mount, String from, String scopes) {
        assertEquals(scopes, Scopes.join(RequiredAccess.of(method, path, mount, from)));
    }

    @ParameterizedTest
    @CsvSource({"/v2//manifests/x", "/v2/A/manifests/x", "/v2/a..b/tags/list", "/v2/a//b/blobs/sha256:x", "/v2/-a/manifests/x"})
    void refusesInvalidNames(String path) {
        OciException e = assertThrows(OciException.class, () -> RequiredAccess.of("GET", path, null, null));
        assertEquals(400, e.status());
    }
}
