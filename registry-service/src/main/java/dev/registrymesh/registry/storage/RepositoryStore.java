package dev.registrymesh.registry.storage;

import dev.registrymesh.common.Digest;
import java.time.Instant;
import java.util.List;

/**
 * What each repository holds: links to blobs, manifest revisions with their media types, tags, and the
 * referrers index. Blocking calls: callers run them off the event loop.
 */
public interface RepositoryStore {

    boolean exists(String repository);

    boolean hasBlob(String repository, Digest digest);

    void linkBlob(String repository, Digest digest);

    /** Removes the blob from the repository; false when it was not there. */
    boolean unlinkBlob(String repository, Digest digest);

    /** The media type of a manifest in the repository, or null when the repository lacks it. */
    String manifestMediaType(String repository, Digest digest);

    void putManifest(String repository, Digest digest, String mediaType);

    /** Removes a manifest revision and every tag that points at it; false when it was not there. */
    boolean deleteManifest(String repository, Digest digest);

    /** The digest a tag points at, or null. */
    Digest tag(String repository, String tag);

    void putTag(String repository, String tag, Digest digest);

    boolean deleteTag(String repository, String tag);

    /** The repository's tags in lexical order; empty when it has none. */
    List<String> tags(String repository);

    /**
     * Removes everything the repository holds: tags, manifests, blob links and referrers (the blobs stay for the
     * garbage collection). False when it held nothing.
     */
    boolean deleteRepository(String repository);

    /** Every repository name in lexical order. */
    List<String> repositories();

    /** Records that {@code referrer} (a manifest, described by {@code descriptorJson}) refers to {@code subject}. */
    void putReferrer(String repository, Digest subject, Digest referrer, byte[] descriptorJson);

    void deleteReferrer(String repository, Digest subject, Digest referrer);

    /** Descriptors (JSON) of the manifests that refer to {@code subject}, ordered by digest. */
    List<byte[]> referrers(String repository, Digest subject);

    // Operations of the garbage collection, quotas and retention. Times are when the entry was last written.

    /** A blob linked into a repository, and when it was (last) linked. */
    record BlobLink(Digest digest, Instant linkedAt) {
    }

    /** A manifest revision of a repository: its media type and when it was (last) put. */
    record ManifestRevision(Digest digest, String mediaType, Instant putAt) {
    }

    /** A tag, the manifest it points at, and when it was last pushed (set). */
    record TagEntry(String tag, Digest digest, Instant pushedAt) {
    }

    /** Every blob linked into the repository; empty when it has none. */
    List<BlobLink> blobLinks(String repository);

    /** When {@code digest} was linked into the repository, or null when it is not. */
    Instant linkedAt(String repository, Digest digest);

    /** Every manifest revision of the repository; empty when it has none. */
    List<ManifestRevision> manifestRevisions(String repository);

    /** Every tag of the repository, in lexical order, with its digest and push time. */
    List<TagEntry> tagEntries(String repository);
}
