package dev.registrymesh.registry.storage;

import dev.registrymesh.common.Digest;
import java.time.Instant;

/**
 * The state of an upload session as storage keeps it between requests, whichever node takes the next one:
 * what it uploads into, how many bytes it holds, and {@code digest}, the digest (in the session's algorithm) of
 * those {@code size} bytes, so that a closing PUT without a body is verified on any node without reading them
 * again. {@code digest} is null for a session stored by an older release (which kept a Bouncy Castle digest
 * state instead): its digest is then rebuilt from the bytes when it is needed. {@code driverState} is what the
 * driver adds (the s3 driver: its multipart upload and the small chunks not yet in a part); the upload service
 * never looks into it.
 */
public record UploadSession(String uuid, String repository, Digest.Algorithm algorithm, long size, Digest digest,
                            Instant startedAt, Object driverState) {

    public UploadSession withProgress(long newSize, Digest newDigest, Object newDriverState) {
        return new UploadSession(uuid, repository, algorithm, newSize, newDigest, startedAt, newDriverState);
    }
}
