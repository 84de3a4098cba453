package dev.registrymesh.registry.storage;

import dev.registrymesh.common.Digest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Content-addressed bytes, one copy per digest whatever the number of repositories. Blocking calls: callers
 * run them off the event loop. The filesystem is the only driver today; an object-store driver would
 * implement the same operations (and serve {@link #localFile} from a local cache).
 */
public interface BlobStore {

    /** The size of the blob, or -1 when the store does not hold it. */
    long size(Digest digest);

    /** A local file holding the blob's bytes, for zero-copy sending. Only valid when {@link #size} >= 0. */
    Path localFile(Digest digest);

    /** A fresh temp file on the store's filesystem, for writers that {@link #commit} afterwards. */
    Path newTempFile() throws IOException;

    /**
     * Makes a verified temp file the content of {@code digest}, atomically. When the blob already exists the
     * temp file is dropped: content is immutable, and the copy we have is equal by definition.
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
