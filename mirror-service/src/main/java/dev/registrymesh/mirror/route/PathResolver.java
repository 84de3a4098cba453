package dev.registrymesh.mirror.route;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.Names;
import dev.registrymesh.common.OciException;
import dev.registrymesh.mirror.config.Upstream;
import dev.registrymesh.mirror.config.Upstreams;

/**
 * Maps a {@code /v2/...} path to an upstream and repository, for the three ways clients reach a mirror:
 * <ul>
 * <li>containerd: {@code ?ns=<upstream host>} names the upstream; an unknown one is a fast 404 so that
 *     containerd tries its next host;</li>
 * <li>path prefix: {@code /v2/<alias>/<name>/...}, where the alias holds a dot or colon (so it never reads as a
 *     Docker Hub namespace);</li>
 * <li>Docker {@code registry-mirrors}: a plain {@code /v2/<name>/...} goes to the default upstream.</li>
 * </ul>
 */
public final class PathResolver {
    private final Upstreams upstreams;

    public PathResolver(Upstreams upstreams) {
        this.upstreams = upstreams;
    }

    public MirrorPath resolve(String path, String ns) {
        if (!path.startsWith("/v2/")) {
            throw notFound("not a registry path: " + path);
        }
        String rest = path.substring(4);
        MirrorPath.Kind kind;
        String name;
        String reference = null;
        int cut;
        if (rest.endsWith("/tags/list")) {
            kind = MirrorPath.Kind.TAGS;
            name = rest.substring(0, rest.length() - "/tags/list".length());
        } else if ((cut = rest.lastIndexOf("/manifests/")) > 0) {
            kind = MirrorPath.Kind.MANIFEST;
            name = rest.substring(0, cut);
            reference = rest.substring(cut + "/manifests/".length());
        } else if ((cut = rest.indexOf("/blobs/uploads")) > 0) {
            kind = MirrorPath.Kind.UPLOAD;
            name = rest.substring(0, cut);
        } else if ((cut = rest.lastIndexOf("/blobs/")) > 0) {
            kind = MirrorPath.Kind.BLOB;
            name = rest.substring(0, cut);
            reference = rest.substring(cut + "/blobs/".length());
        } else {
            throw notFound("no such endpoint: " + path);
        }

        Upstream upstream;
        if (ns != null && !ns.isEmpty()) {
            upstream = upstreams.byNamespace(ns).orElseThrow(() -> notFound("this mirror does not serve " + ns));
        } else {
            int slash = name.indexOf('/');
            String first = slash < 0 ? name : name.substring(0, slash);
            if (slash > 0 && (first.contains(".") || first.contains(":")) && Names.isValidHost(first)) {
                String alias = first;
                upstream = upstreams.byAlias(alias).orElseThrow(() -> notFound("this mirror does not serve " + alias));
                name = name.substring(slash + 1);
            } else {
                upstream = upstreams.defaultUpstream();
            }
        }
        if (upstream.isDockerHub() && name.indexOf('/') < 0) {
            name = "library/" + name; // Docker Hub's official images, as the Docker CLI names them
        }
        String problem = Names.repositoryProblem(name);
        if (problem != null) {
            throw new OciException(ErrorCode.NAME_INVALID, problem, null);
        }
        if (kind == MirrorPath.Kind.BLOB) {
            requireDigest(reference);
        } else if (kind == MirrorPath.Kind.MANIFEST && !Digest.isValid(reference) && !Names.isValidTag(reference)) {
            throw new OciException(ErrorCode.MANIFEST_UNKNOWN, 404, "invalid tag or digest: " + reference, null);
        }
        return new MirrorPath(upstream, name, kind, reference, ns == null || ns.isEmpty() ? null : ns);
    }

    private static void requireDigest(String text) {
        if (!Digest.isValid(text)) {
            throw new OciException(ErrorCode.DIGEST_INVALID, "invalid digest: " + text, null);
        }
    }

    private static OciException notFound(String message) {
        return new OciException(ErrorCode.NAME_UNKNOWN, message, null);
    }
}
