package dev.registrymesh.registry.manifest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registrymesh.common.Digest;
import dev.registrymesh.common.Accept;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.IndexFallback;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.common.Names;
import dev.registrymesh.common.OciException;
import dev.registrymesh.registry.lifecycle.Admission;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.RepositoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Manifests, tags and referrers of repositories. Blocking calls. */
public class ManifestService {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlobStore blobs;
    private final RepositoryStore repositories;
    private final Admission admission;

    /** What a manifest PUT did: the manifest's digest, the tags it set, and its subject if it has one. */
    public record Stored(Digest digest, String mediaType, long size, List<String> tags, Digest subject) {
    }

    public ManifestService(BlobStore blobs, RepositoryStore repositories) {
        this(blobs, repositories, Admission.NONE);
    }

    public ManifestService(BlobStore blobs, RepositoryStore repositories, Admission admission) {
        this.blobs = blobs;
        this.repositories = repositories;
        this.admission = admission;
    }

    /**
     * The manifest {@code reference} (a tag or a digest) in a media type the client accepts. By digest the
     * manifest is returned as it is; by tag, a multi-platform index the client cannot read is answered with
     * its linux/amd64 image, as CNCF Distribution does for old clients.
     */
    public Manifest get(String repository, String reference, Collection<String> accepted) {
        boolean byDigest = existingDigestIn(reference) != null;
        Manifest manifest = load(repository, resolve(repository, reference));
        if (byDigest || Accept.allows(accepted, manifest.mediaType())) {
            return manifest;
        }
        if (MediaTypes.isIndex(manifest.mediaType())) {
            Optional<Digest> child = IndexFallback.child(manifest.content(), accepted);
            if (child.isPresent() && repositories.manifestMediaType(repository, child.get()) != null) {
                return load(repository, child.get());
            }
        }
        throw new OciException(ErrorCode.MANIFEST_UNKNOWN, "manifest of type " + manifest.mediaType()
                + " is not among the accepted types " + accepted, Map.of("tag", reference));
    }

    /** The digest of {@code reference} in {@code repository}, or MANIFEST_UNKNOWN (also for a reference no manifest can have). */
    public Digest resolve(String repository, String reference) {
        Digest named = existingDigestIn(reference);
        Digest digest = named != null ? named : repositories.tag(repository, reference);
        if (digest == null || repositories.manifestMediaType(repository, digest) == null) {
            throw new OciException(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown to registry", Map.of("reference", reference));
        }
        return digest;
    }

    private Manifest load(String repository, Digest digest) {
        try {
            return new Manifest(digest, repositories.manifestMediaType(repository, digest), blobs.read(digest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stores a manifest under {@code reference} (a tag, or a digest the content must hash to), plus the
     * {@code extraTags} of a {@code PUT .../manifests/<digest>?tag=} request. Everything it references must
     * already be in the repository; its subject need not be.
     */
    public Stored put(String repository, String reference, String contentType, byte[] content, List<String> extraTags) {
        List<String> tags = new ArrayList<>();
        Digest digest;
        Digest claimed = digestIn(reference);
        if (claimed != null) {
            digest = Digest.compute(claimed.algorithm(), content);
            if (!digest.equals(claimed)) {
                throw new OciException(ErrorCode.DIGEST_INVALID, "manifest does not hash to " + claimed,
                        Map.of("expected", claimed.toString(), "actual", digest.toString()));
            }
        } else {
            tags.add(Names.requireTag(reference));
            digest = Digest.sha256(content);
        }
        for (String tag : extraTags) {
            if (!tags.contains(Names.requireTag(tag))) {
                tags.add(tag);
            }
        }
        ParsedManifest manifest = ParsedManifest.parse(content, contentType);
        // What this write makes reachable joins a running collection's mark; the digests the tags leave are
        // held too, so that retention cannot remove a tag this push is moving.
        Set<Digest> reachable = new HashSet<>();
        reachable.add(digest);
        manifest.blobs().forEach(b -> reachable.add(b.digest()));
        manifest.manifests().forEach(m -> reachable.add(m.digest()));
        if (manifest.subject() != null) {
            reachable.add(manifest.subject().digest());
        }
        for (String tag : tags) {
            Digest current = repositories.tag(repository, tag);
            admission.checkTagChange(repository, tag, current, digest);
            if (current != null) {
                reachable.add(current);
            }
        }
        if (!repositories.exists(repository)) {
            admission.checkNewContent(repository);
        }
        return admission.write(repository, reachable, Map.of(digest, (long) content.length), () -> {
            requireReferencedContent(repository, manifest);
            try {
                blobs.put(digest, content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            repositories.putManifest(repository, digest, manifest.mediaType());
            for (String tag : tags) {
                repositories.putTag(repository, tag, digest);
            }
            Digest subject = null;
            if (manifest.subject() != null) {
                subject = manifest.subject().digest();
                repositories.putReferrer(repository, subject, digest, referrerDescriptor(digest, content.length, manifest));
            }
            return new Stored(digest, manifest.mediaType(), content.length, List.copyOf(tags), subject);
        });
    }

    private void requireReferencedContent(String repository, ParsedManifest manifest) {
        for (ParsedManifest.Reference blob : manifest.blobs()) {
            if (!blob.external() && !repositories.hasBlob(repository, blob.digest())) {
                throw blobUnknown(blob.digest());
            }
        }
        for (ParsedManifest.Reference child : manifest.manifests()) {
            if (repositories.manifestMediaType(repository, child.digest()) == null && !repositories.hasBlob(repository, child.digest())) {
                throw blobUnknown(child.digest());
            }
        }
    }

    private static OciException blobUnknown(Digest digest) {
        return new OciException(ErrorCode.MANIFEST_BLOB_UNKNOWN, "manifest references " + digest + ", which is not in the repository",
                Map.of("digest", digest.toString()));
    }

    private static byte[] referrerDescriptor(Digest digest, long size, ParsedManifest manifest) {
        ObjectNode descriptor = JSON.createObjectNode()
                .put("mediaType", manifest.mediaType())
                .put("digest", digest.toString())
                .put("size", size);
        if (manifest.artifactType() != null) {
            descriptor.put("artifactType", manifest.artifactType());
        }
        if (manifest.annotations() != null) {
            descriptor.set("annotations", manifest.annotations());
        }
        try {
            return JSON.writeValueAsBytes(descriptor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a DELETE removed: the digest, and the tag when it deleted a tag only. */
    public record Deleted(Digest digest, String tag) {
    }

    /** Deletes a manifest by digest (and every tag pointing at it), or only a tag. */
    public Deleted delete(String repository, String reference) {
        Digest digest = existingDigestIn(reference);
        if (digest == null) {
            Digest target = repositories.tag(repository, reference);
            if (target != null) {
                admission.checkTagDelete(repository, reference);
            }
            if (target == null || !repositories.deleteTag(repository, reference)) {
                throw new OciException(ErrorCode.MANIFEST_UNKNOWN, "tag unknown", Map.of("tag", reference));
            }
            return new Deleted(target, reference);
        }
        String mediaType = repositories.manifestMediaType(repository, digest);
        if (mediaType == null) {
            throw new OciException(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown to registry", Map.of("digest", reference));
        }
        for (String tag : repositories.tags(repository)) {
            if (digest.equals(repositories.tag(repository, tag))) {
                admission.checkTagDelete(repository, tag);
            }
        }
        Manifest manifest = load(repository, digest);
        ParsedManifest parsed = ParsedManifest.parse(manifest.content(), mediaType);
        if (parsed.subject() != null) {
            repositories.deleteReferrer(repository, parsed.subject().digest(), digest);
        }
        repositories.deleteManifest(repository, digest);
        admission.removed(repository);
        return new Deleted(digest, null);
    }

    /** The OCI index listing the manifests whose subject is {@code subject}, optionally of one artifact type. */
    public byte[] referrers(String repository, Digest subject, String artifactType) {
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        var manifests = index.putArray("manifests");
        try {
            for (byte[] descriptorJson : repositories.referrers(repository, subject)) {
                var descriptor = JSON.readTree(descriptorJson);
                if (artifactType == null || artifactType.equals(descriptor.path("artifactType").asText(null))) {
                    manifests.add(descriptor);
                }
            }
            return JSON.writeValueAsBytes(index);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The digest a manifest reference names, or null when it names a tag. A tag cannot hold ':', so a
     * reference with one is a digest, and a malformed one is DIGEST_INVALID rather than TAG_INVALID.
     */
    private static Digest digestIn(String reference) {
        if (reference.indexOf(':') < 0) {
            return null;
        }
        try {
            return Digest.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new OciException(ErrorCode.DIGEST_INVALID, e.getMessage(), Map.of("digest", reference));
        }
    }

    /**
     * For reads and deletes: the digest a reference names, null for a tag, and MANIFEST_UNKNOWN for a reference
     * that is neither (a manifest that cannot exist is not found; the v1.1.1 conformance suite asks exactly this
     * with {@code .INVALID_MANIFEST_NAME}, and the newest suite reads a 400 on DELETE as "deletes unsupported").
     * Only writes answer TAG_INVALID or DIGEST_INVALID.
     */
    private static Digest existingDigestIn(String reference) {
        if (reference.indexOf(':') >= 0 ? !Digest.isValid(reference) : !Names.isValidTag(reference)) {
            throw new OciException(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown to registry: no tag or digest can be "
                    + reference, Map.of("reference", reference));
        }
        return digestIn(reference);
    }
}
