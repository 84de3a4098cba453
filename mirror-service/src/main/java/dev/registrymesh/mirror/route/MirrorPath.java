package dev.registrymesh.mirror.route;

import dev.registrymesh.mirror.config.Upstream;

/**
 * A mirror request, resolved: which upstream, which repository there, and what is asked.
 *
 * @param reference a tag or digest for manifests, a digest for blobs, null for tag lists
 * @param namespace the containerd {@code ns} parameter when the request carried one (echoed as OCI-Namespace)
 */
public record MirrorPath(Upstream upstream, String repository, Kind kind, String reference, String namespace) {

    public enum Kind { MANIFEST, BLOB, TAGS, UPLOAD }

    /** The path of the same resource on the upstream. */
    public String upstreamPath() {
        return switch (kind) {
            case MANIFEST -> "/v2/" + repository + "/manifests/" + reference;
            case BLOB -> "/v2/" + repository + "/blobs/" + reference;
            case TAGS -> "/v2/" + repository + "/tags/list";
            case UPLOAD -> "/v2/" + repository + "/blobs/uploads/";
        };
    }
}
