package dev.registrymesh.registry.admin;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.registry.manifest.Manifest;
import dev.registrymesh.registry.manifest.ManifestService;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.RepositoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Read-only views of a repository for index-service's web console, which checks the viewer's pull right itself:
 * the same manifests, tags and referrers /v2 serves (through the same services), without a registry token, and
 * without counting as pulls. Blobs only when small (configs): the console never streams layers.
 */
public final class AdminReads {
    /** Image configs are a few KiB; this bounds what one admin read can hold in memory. */
    public static final long MAX_BLOB_BYTES = 1 << 20;

    private final RepositoryStore repositories;
    private final ManifestService manifests;
    private final BlobStore blobs;

    public record TagEntry(String tag, String digest) {
    }

    public AdminReads(RepositoryStore repositories, ManifestService manifests, BlobStore blobs) {
        this.repositories = repositories;
        this.manifests = manifests;
        this.blobs = blobs;
    }

    /** Every tag with the digest it points at, in lexical order; NAME_UNKNOWN when the repository holds nothing. */
    public List<TagEntry> tags(String repository) {
        if (!repositories.exists(repository)) {
            throw new OciException(ErrorCode.NAME_UNKNOWN, "repository name not known to registry", Map.of("name", repository));
        }
        List<TagEntry> out = new ArrayList<>();
        for (String tag : repositories.tags(repository)) {
            Digest digest = repositories.tag(repository, tag);
            if (digest != null) {
                out.add(new TagEntry(tag, digest.toString()));
            }
        }
        return out;
    }

    /** The manifest a tag or digest names, exactly as stored (an index stays an index). */
    public Manifest manifest(String repository, String reference) {
        Digest digest = manifests.resolve(repository, reference);
        return manifests.get(repository, digest.toString(), List.of());
    }

    /** A small blob of the repository (a config); BLOB_UNKNOWN when not linked, 413 when larger than the cap. */
    public byte[] smallBlob(String repository, Digest digest) {
        long size = blobs.size(digest);
        if (size < 0 || !repositories.hasBlob(repository, digest)) {
            throw new OciException(ErrorCode.BLOB_UNKNOWN, "blob unknown to registry", Map.of("digest", digest.toString()));
        }
        if (size > MAX_BLOB_BYTES) {
            throw new OciException(ErrorCode.SIZE_INVALID, 413, "the admin API reads blobs of at most " + MAX_BLOB_BYTES
                    + " bytes; pull larger ones through /v2", Map.of("digest", digest.toString(), "size", size));
        }
        try {
            return blobs.read(digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The referrers index of {@code subject}, as /v2/.../referrers answers it. */
    public byte[] referrers(String repository, Digest subject) {
        return manifests.referrers(repository, subject, null);
    }
}
