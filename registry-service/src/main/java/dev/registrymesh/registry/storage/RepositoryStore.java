package dev.registrymesh.registry.storage;

import dev.registrymesh.common.Digest;
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
}
