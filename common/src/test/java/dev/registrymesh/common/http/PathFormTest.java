package dev.registrymesh.common.http;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathFormTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/v2", "/v2/", "/v2/_catalog", "/v2/a/b/manifests/latest", "/v2/a.b/c_d/e-f/blobs/uploads/",
            "/v2/a/blobs/sha256%3Aabc", "/v2/a/manifests/v1.0", "/v2/a/..b/manifests/x", "/v2/a/b../manifests/x", "/v2/a/.../manifests/x",
            "/v2/caf%C3%A9/manifests/x", "/v2/a%20b/manifests/x", "/q/health/ready", "/v2/a/blobs/sha256:abc", "/v2/a@b!$&'()*+,;=/x"})
    void normal(String path) {
        assertNull(PathForm.problem(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v2/", "*", "/v2/a/../b", "/v2/a/./b", "/v2/..", "/v2/.", "/..", "/v2/a/%2e%2e/b", "/v2/a/%2E%2E/b",
            "/v2/a/.%2e/b", "/v2/a/%2e./b", "/v2/a/%2e/b", "/v2/a%2fb", "/v2/a%2Fb", "/v2/a%5cb", "/v2/a%5Cb", "/v2/a\\b", "/v2//a",
            "//v2/a", "/v2/a//", "/v2/%61/b", "/v2/a%2db", "/v2/a%7e", "/v2/a%5F", "/v2/a%zz", "/v2/a%2", "/v2/a%", "/v2/a%%2e",
            "/v2/a%\u0663\u0663", "/v2/a b", "/v2/a\tb", "/v2/a\u0001b", "/v2/a\u007fb", "/v2/caf\u00e9", "/v2/a|b", "/v2/a\"b", "/v2/a{b}",
            "/v2/a^b", "/v2/a`b", "/v2/a<b>", "/v2/a[b]", "/v2/a#b", "/v2/a?b"})
    void notNormal(String path) {
        assertNotNull(PathForm.problem(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b", "a/b.c/d", "a..b"})
    void normalName(String name) {
        assertNull(PathForm.nameProblem(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a", "a/", "a//b", ".", "..", "a/../b", "a/./b", "a\\b", "../a"})
    void notNormalName(String name) {
        assertNotNull(PathForm.nameProblem(name));
    }
}
