package dev.registrymesh.registry.storage;

import dev.registrymesh.common.Digest;
import java.time.Instant;

/**
 * The state of an upload session as storage keeps it between requests, whichever node takes the next one:
 * what it uploads into, how many bytes it holds, and the running digest of those bytes
 * ({@link ResumableDigest#state()}). {@code driverState} is what the driver adds (the s3 driver: its
 * multipart upload and the small chunks not yet in a part); the upload service never looks into it.
 */
public record UploadSession(String uuid, String repository, Digest.Algorithm algorithm, long size, byte[] digestState,
                            Instant startedAt, Object driverState) {

    public UploadSession withProgress(long newSize, byte[] newDigestState, Object newDriverState) {
        return new UploadSession(uuid, repository, algorithm, newSize, newDigestState, startedAt, newDriverState);
    }
}
