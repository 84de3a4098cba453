package dev.registrymesh.registry.storage;

import dev.registrymesh.common.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Upload sessions in shared storage, so that the POST, PATCHes and PUT of one upload may land on different
 * nodes. The upload service streams each chunk into a local file the store chooses ({@link #chunkTarget}),
 * hashing it on the way, then hands it over with {@link #appendChunk}. A node that does not hold the running
 * digest of a session reads its bytes back with {@link #readTo}. Blocking calls.
 */
public interface UploadStore {

    /** Where the next chunk's bytes go on this node. */
    record ChunkTarget(Path file, boolean append) {
    }

    /** Persists a new, empty session. */
    void create(UploadSession session) throws IOException;

    /** The session, or null when there is none (never started, completed, cancelled or purged). */
    UploadSession load(String uuid) throws IOException;

    /** A local file to stream the next chunk into: appended to ({@code append}) or written from its start. */
    ChunkTarget chunkTarget(UploadSession session) throws IOException;

    /**
     * Adds the {@code length} bytes written to {@code target} to the session, records {@code digest} (of all the
     * session's bytes, the new ones included), and returns the session as stored now. The target file is the
     * store's afterwards.
     */
    UploadSession appendChunk(UploadSession session, ChunkTarget target, long length, Digest digest) throws IOException;

    /** Forgets a chunk that was refused or broken off: the session stays as it was. */
    void discardChunk(UploadSession session, ChunkTarget target) throws IOException;

    /**
     * Makes the session's bytes the blob {@code digest} (the caller has verified the digest), atomically: the
     * blob is invisible until it is whole. Removes the session.
     */
    void commit(UploadSession session, Digest digest) throws IOException;

    /**
     * Writes the first {@code session.size()} bytes of the session, in order, to {@code out}, streamed: to rebuild
     * the running digest on a node that does not hold it, or to hash them in another algorithm than the session's.
     * Returns the session as stored afterwards, to which later chunks are appended: a driver may have had to
     * move the bytes to read them (the s3 driver completes its multipart upload). {@code session} is the stored one.
     */
    UploadSession readTo(UploadSession session, OutputStream out) throws IOException;

    /** Removes the session and whatever it holds. */
    void delete(UploadSession session) throws IOException;

    /** Removes sessions untouched since {@code cutoff}; returns how many went. */
    int purge(Instant cutoff) throws IOException;

    /**
     * Removes sessions older than {@code before} that a crash left unusable (one whose files were not all written);
     * a store whose sessions appear whole or not at all has none. Returns how many went.
     */
    default int removeBroken(Instant before) throws IOException {
        return 0;
    }
}
