package dev.registrymesh.mirror.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registrymesh.common.OciException;
import dev.registrymesh.mirror.config.Upstreams;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathResolverTest {
    private static final Upstreams UPSTREAMS = new Upstreams(
            "docker.io=https://registry-1.docker.io,ghcr.io=https://ghcr.io/,registry.internal:5000=http://10.0.0.5:5000",
            "docker.io", Duration.ofMinutes(5), Duration.ofSeconds(10), key -> Optional.empty());
    private static final PathResolver RESOLVER = new PathResolver(UPSTREAMS);

    @ParameterizedTest(name = "{0} ns={1} -> {2} {3} {4} {5}")
    @CsvSource({
            // Docker registry-mirrors: default upstream, official images get library/
            "/v2/library/ubuntu/manifests/latest,,       docker.io, library/ubuntu, MANIFEST, latest",
            "/v2/ubuntu/manifests/22.04,,                docker.io, library/ubuntu, MANIFEST, 22.04",
            "/v2/bitnami/redis/tags/list,,               docker.io, bitnami/redis,  TAGS,",
            "/v2/library/ubuntu/blobs/sha256:0000000000000000000000000000000000000000000000000000000000000000,, docker.io, library/ubuntu, BLOB, sha256:0000000000000000000000000000000000000000000000000000000000000000",
            // containerd ?ns=
            "/v2/org/app/manifests/v1, ghcr.io,          ghcr.io,   org/app,        MANIFEST, v1",
            "/v2/library/alpine/manifests/3, docker.io,  docker.io, library/alpine, MANIFEST, 3",
            "/v2/library/alpine/manifests/3, index.docker.io, docker.io, library/alpine, MANIFEST, 3",
            "/v2/team/x/manifests/v1, registry.internal:5000, registry.internal:5000, team/x, MANIFEST, v1",
            "/v2/team/x/manifests/v1, 10.0.0.5:5000,     registry.internal:5000, team/x, MANIFEST, v1",
            // path prefix
            "/v2/ghcr.io/org/app/manifests/v1,,          ghcr.io,   org/app,        MANIFEST, v1",
            "/v2/docker.io/ubuntu/manifests/v1,,         docker.io, library/ubuntu, MANIFEST, v1",
            "/v2/registry.internal:5000/a/b/c/manifests/v1,, registry.internal:5000, a/b/c, MANIFEST, v1",
            // names holding the words of the API
            "/v2/blobs/manifests/manifests/v1,,          docker.io, blobs/manifests, MANIFEST, v1",
            "/v2/a/blobs/uploads/,,                      docker.io, library/a,      UPLOAD,",
            "/v2/a/b/blobs/uploads/123,,                 docker.io, a/b,            UPLOAD,",
    })
    void resolves(String path, String ns, String upstream, String repository, MirrorPath.Kind kind, String reference) {
        MirrorPath resolved = RESOLVER.resolve(path, ns);
        assertEquals(upstream, resolved.upstream().alias());
        assertEquals(repository, resolved.repository());
        assertEquals(kind, resolved.kind());
        assertEquals(reference, resolved.reference());
        assertEquals(ns, resolved.namespace());
    }

    @ParameterizedTest(name = "{0} ns={1} -> {2}")
    @CsvSource({
            "/v2/app/manifests/v1, quay.io,              NAME_UNKNOWN",
            "/v2/quay.io/app/manifests/v1,,              NAME_UNKNOWN",
            "/v2/app/whatever,,                          NAME_UNKNOWN",
            "/v1/app/manifests/v1,,                      NAME_UNKNOWN",
            "/v2/App/manifests/v1,,                      NAME_INVALID",
            "/v2/a//b/manifests/v1,,                     NAME_INVALID",
            "/v2/../etc/manifests/v1,,                   NAME_INVALID",
            "/v2/app/blobs/sha256:xyz,,                  DIGEST_INVALID",
            "/v2/app/blobs/latest,,                      DIGEST_INVALID",
            "/v2/app/manifests/-bad,,                    MANIFEST_UNKNOWN",
    })
    void rejects(String path, String ns, String code) {
        OciException e = assertThrows(OciException.class, () -> RESOLVER.resolve(path, ns));
        assertEquals(code, e.code().name());
    }

    /** Docker Hub's three names meet whichever of them the operator chose as the alias. */
    @ParameterizedTest(name = "alias {0}, ns={1}")
    @CsvSource({
            "docker.io,            registry-1.docker.io",
            "registry-1.docker.io, docker.io",
            "registry-1.docker.io, index.docker.io",
            "index.docker.io,      docker.io",
    })
    void dockerHubNamesAreOneUpstream(String alias, String ns) {
        Upstreams upstreams = new Upstreams(alias + "=https://registry-1.docker.io,ghcr.io=https://ghcr.io", "ghcr.io",
                Duration.ofMinutes(5), Duration.ofSeconds(10), key -> Optional.empty());
        assertEquals(alias, upstreams.byNamespace(ns).orElseThrow().alias());
    }
}
