package dev.registrymesh.registry.storage.s3;

import dev.registrymesh.common.Digest;

/**
 * The one place that knows the s3 driver's object names. The same tree as the filesystem driver's
 * {@code StorageLayout}, under {@code MESH_S3_PREFIX}:
 *
 * <pre>
 * &lt;prefix&gt;/
 *   blobs/&lt;alg&gt;/&lt;hex[0..2]&gt;/&lt;hex&gt;               blob bytes, written once (PutObject, or CopyObject of a
 *                                                   completed multipart upload) after the digest was verified
 *   uploads/&lt;uuid&gt;/session                       the session (JSON): repository, algorithm, size, digest
 *                                                   of the bytes so far, multipart upload id and parts, pending
 *                                                   chunks
 *   uploads/&lt;uuid&gt;/chunks/&lt;offset, 20 digits&gt;   chunks smaller than a part, kept until 5 MiB are gathered
 *   uploads/&lt;uuid&gt;/data                          the key of the session's multipart upload; completed when
 *                                                   the upload is closed (then copied to blobs/) or when a node
 *                                                   reads the bytes back to rebuild the running digest (the next
 *                                                   chunk reopens it: UploadPartCopy of data into a new one)
 *   repositories/&lt;name&gt;/_layers/&lt;alg&gt;/&lt;hex&gt;       empty object: the blob is part of this repository
 *   repositories/&lt;name&gt;/_manifests/revisions/&lt;alg&gt;/&lt;hex&gt;   the manifest's media type
 *   repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;     the digest the tag points at
 *   repositories/&lt;name&gt;/_referrers/&lt;alg&gt;/&lt;hex&gt;/&lt;alg&gt;-&lt;hex&gt;   descriptor (JSON) of a manifest whose
 *                                                   subject is the first digest
 * </pre>
 * Listings rely on ListObjectsV2's order (UTF-8 binary, which is lexical for the characters names and tags
 * may hold) and on '/' as delimiter. Repository path components never start with '_', so the underscore
 * prefixes cannot collide with nested repository names.
 */
public record S3Layout(String prefix) {

    private String key(String path) {
        return prefix.isEmpty() ? path : prefix + "/" + path;
    }

    /** The prefix of every blob's key. */
    public String blobs() {
        return key("blobs/");
    }

    public String blob(Digest digest) {
        return key("blobs/" + digest.algorithmId() + "/" + digest.hex().substring(0, 2) + "/" + digest.hex());
    }

    public String uploads() {
        return key("uploads/");
    }

    public String upload(String uuid) {
        return key("uploads/" + uuid + "/");
    }

    public String uploadSession(String uuid) {
        return upload(uuid) + "session";
    }

    public String uploadChunk(String uuid, long offset) {
        return upload(uuid) + "chunks/" + String.format("%020d", offset);
    }

    public String uploadData(String uuid) {
        return upload(uuid) + "data";
    }

    public String repositories() {
        return key("repositories/");
    }

    public String repository(String name) {
        return repositories() + name + "/";
    }

    public String layers(String repository) {
        return repository(repository) + "_layers/";
    }

    public String layerLink(String repository, Digest digest) {
        return layers(repository) + digest.algorithmId() + "/" + digest.hex();
    }

    public String manifests(String repository) {
        return repository(repository) + "_manifests/";
    }

    public String manifestRevision(String repository, Digest digest) {
        return manifests(repository) + "revisions/" + digest.algorithmId() + "/" + digest.hex();
    }

    public String tags(String repository) {
        return manifests(repository) + "tags/";
    }

    public String tag(String repository, String tag) {
        return tags(repository) + tag;
    }

    public String referrersOfRepository(String repository) {
        return repository(repository) + "_referrers/";
    }

    public String referrers(String repository, Digest subject) {
        return referrersOfRepository(repository) + subject.algorithmId() + "/" + subject.hex() + "/";
    }

    public String referrer(String repository, Digest subject, Digest referrer) {
        return referrers(repository, subject) + referrer.algorithmId() + "-" + referrer.hex();
    }
}
