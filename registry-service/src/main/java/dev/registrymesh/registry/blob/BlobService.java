package dev.registrymesh.registry.blob;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.registry.lifecycle.Admission;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.RepositoryStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Blobs as a repository sees them: present only when linked into it. Blocking calls. */
public class BlobService {
    private final BlobStore blobs;
    private final RepositoryStore repositories;
    private final Admission admission;

    /**
     * A blob that a client may read: its size, and where its bytes are: a local {@code file} (zero-copy), a
     * {@code redirect} the client fetches itself, or neither (then {@link #open} streams them).
     */
    public record Located(Digest digest, long size, Path file, URI redirect) {
    }

    public BlobService(BlobStore blobs, RepositoryStore repositories) {
        this(blobs, repositories, Admission.NONE);
    }

    public BlobService(BlobStore blobs, RepositoryStore repositories, Admission admission) {
        this.blobs = blobs;
        this.repositories = repositories;
        this.admission = admission;
    }

    /**
     * The blob {@code digest} of {@code repository}, or BLOB_UNKNOWN. A manifest of the repository is a blob
     * too, as in CNCF Distribution: some clients read manifests through the blob endpoint.
     */
    public Located locate(String repository, Digest digest) {
        boolean inRepository = repositories.hasBlob(repository, digest) || repositories.manifestMediaType(repository, digest) != null;
        long size = inRepository ? blobs.size(digest) : -1;
        if (size < 0) {
            throw unknown(digest);
        }
        Path file = blobs.localFile(digest);
        return new Located(digest, size, file, file == null ? blobs.redirect(digest) : null);
    }

    /** Streams part of a located blob whose bytes are not in a local file. */
    public Future<ReadStream<Buffer>> open(Vertx vertx, Located blob, long offset, long length) {
        return blobs.open(vertx, blob.digest(), offset, length);
    }

    /**
     * Cross-repository mount: links a blob of {@code from} into {@code repository} without moving a byte.
     * False when {@code from} does not have it (the client then uploads).
     */
    public boolean mount(String repository, Digest digest, String from) {
        long size = blobs.size(digest);
        if (!repositories.hasBlob(from, digest) || size < 0) {
            return false;
        }
        admission.checkNewContent(repository);
        return admission.write(repository, List.of(digest), Map.of(digest, size), () -> {
            if (!repositories.hasBlob(from, digest)) {
                return false; // collected meanwhile: the client uploads
            }
            repositories.linkBlob(repository, digest);
            return true;
        });
    }

    /** Removes the blob from the repository; its bytes stay while other repositories link them. */
    public void delete(String repository, Digest digest) {
        if (!repositories.unlinkBlob(repository, digest)) {
            throw unknown(digest);
        }
        admission.removed(repository);
    }

    private static OciException unknown(Digest digest) {
        return new OciException(ErrorCode.BLOB_UNKNOWN, "blob unknown to registry", Map.of("digest", digest.toString()));
    }
}
