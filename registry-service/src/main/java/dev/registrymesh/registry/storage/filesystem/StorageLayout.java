package dev.registrymesh.registry.storage.filesystem;

import dev.registrymesh.common.Digest;
import java.nio.file.Path;

/**
 * The one place that knows where things live under the registry's data directory.
 *
 * <pre>
 * &lt;root&gt;/
 *   blobs/&lt;alg&gt;/&lt;hex[0..2]&gt;/&lt;hex&gt;               blob bytes (layers, configs, manifests), written once
 *                                                   by an atomic rename after the digest was verified
 *   uploads/&lt;uuid&gt;/data                          bytes of an upload session received so far
 *   uploads/&lt;uuid&gt;/session                       "repository\nalgorithm" of the session
 *   tmp/                                            files being written; same filesystem as blobs/, so the
 *                                                   final rename is atomic
 *   repositories/&lt;name&gt;/_layers/&lt;alg&gt;/&lt;hex&gt;       empty file: the blob is part of this repository
 *   repositories/&lt;name&gt;/_manifests/revisions/&lt;alg&gt;/&lt;hex&gt;   the manifest's media type: the manifest
 *                                                   is in this repository (its bytes are a blob)
 *   repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;     the digest the tag points at
 *   repositories/&lt;name&gt;/_referrers/&lt;alg&gt;/&lt;hex&gt;/&lt;alg&gt;-&lt;hex&gt;   descriptor (JSON) of a manifest whose
 *                                                   subject is the first digest
 * </pre>
 * Repository path components never start with '_' (see {@link dev.registrymesh.common.Names}), so the
 * underscore directories cannot collide with nested repository names. A crash leaves at worst an orphan
 * in tmp/ (removed at the next start: only requests in flight own temp files, so one process per data
 * directory) or an unreferenced blob, never a half-written blob under blobs/.
 */
public record StorageLayout(Path root) {

    public Path blobs() {
        return root.resolve("blobs");
    }

    public Path blob(Digest digest) {
        return blobs().resolve(digest.algorithmId()).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    public Path uploads() {
        return root.resolve("uploads");
    }

    public Path upload(String uuid) {
        return uploads().resolve(uuid);
    }

    public Path tmp() {
        return root.resolve("tmp");
    }

    public Path repositories() {
        return root.resolve("repositories");
    }

    public Path repository(String name) {
        return repositories().resolve(name);
    }

    public Path layerLink(String repository, Digest digest) {
        return repository(repository).resolve("_layers").resolve(digest.algorithmId()).resolve(digest.hex());
    }

    public Path manifestRevision(String repository, Digest digest) {
        return repository(repository).resolve("_manifests").resolve("revisions").resolve(digest.algorithmId()).resolve(digest.hex());
    }

    public Path tags(String repository) {
        return repository(repository).resolve("_manifests").resolve("tags");
    }

    public Path tag(String repository, String tag) {
        return tags(repository).resolve(tag);
    }

    public Path referrers(String repository, Digest subject) {
        return repository(repository).resolve("_referrers").resolve(subject.algorithmId()).resolve(subject.hex());
    }

    public Path referrer(String repository, Digest subject, Digest referrer) {
        return referrers(repository, subject).resolve(referrer.algorithmId() + "-" + referrer.hex());
    }
}
