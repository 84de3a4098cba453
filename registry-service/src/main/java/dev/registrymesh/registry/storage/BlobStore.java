package dev.registrymesh.registry.storage;

import dev.registrymesh.common.Digest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Content-addressed bytes, one copy per digest whatever the number of repositories. Blocking calls unless they
 * return a Future: callers run them off the event loop. Drivers: {@code storage/filesystem}, {@code storage/s3}.
 */
public interface BlobStore {

    /** The size of the blob, or -1 when the store does not hold it. */
    long size(Digest digest);

    /**
     * Streams {@code length} bytes of the blob from {@code offset}, with back-pressure (the stream starts paused
     * or is piped at once). The stream fails when the blob is absent. A stream that is also AutoCloseable is
     * closed when the reader gives up early.
     */
    Future<ReadStream<Buffer>> open(Vertx vertx, Digest digest, long offset, long length);

    /** A local file holding the blob (zero-copy sendfile), or null when the driver's bytes are elsewhere. */
    default Path localFile(Digest digest) {
        return null;
    }

    /**
     * A short-lived URL from which a client may fetch the blob itself (redirect mode, for CDNs and to take
     * the bytes off the registry), or null when the driver serves the bytes through the registry.
     */
    default URI redirect(Digest digest) {
        return null;
    }

    /** A fresh file on this node's disk, for writers that {@link #commit} afterwards. */
    Path newTempFile() throws IOException;

    /**
     * Makes a verified local file the content of {@code digest}, atomically, and deletes the file. When the
     * blob already exists the file is dropped: content is immutable, and the copy we have is equal by definition.
     */
    void commit(Path verifiedTemp, Digest digest) throws IOException;

    /** Stores small content (a manifest) that is already in memory. */
    void put(Digest digest, byte[] content) throws IOException;

    /** Reads small content (a manifest) whole. */
    byte[] read(Digest digest) throws IOException;

    // Operations of the garbage collection.

    /** A stored blob: its size and when its bytes were last written. */
    record StoredBlob(Digest digest, long size, Instant modified) {
    }

    /** The blob's size and last-modified time, or null when the store does not hold it. */
    StoredBlob stat(Digest digest);

    /**
     * Calls {@code action} once per stored blob, in no particular order. Blobs written or deleted meanwhile may or
     * may not be seen; a listing is a snapshot of nothing, so callers check again ({@link #stat}) before acting.
     */
    void forEachBlob(Consumer<StoredBlob> action);

    /** Removes the blob's bytes; false when they were not there. */
    boolean delete(Digest digest);
}
