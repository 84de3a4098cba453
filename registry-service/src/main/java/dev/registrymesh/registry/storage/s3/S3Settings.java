package dev.registrymesh.registry.storage.s3;

import java.net.URI;
import java.time.Duration;

/**
 * What the s3 driver needs to know, as plain values (built from {@code MESH_S3_*} or by tests).
 *
 * @param endpoint an S3-compatible store's URL; null means AWS
 * @param region null means the AWS SDK's default region chain (us-east-1 when an endpoint is set)
 * @param prefix key prefix inside the bucket, without a trailing '/'; "" for the bucket's root
 * @param sse server-side encryption asked for on every write: null, {@code AES256} or {@code aws:kms}
 * @param redirectTtl how long a presigned blob URL is valid; null means blobs are served through the registry
 * @param partSize chunks are gathered until this many bytes, then written as one multipart part (S3: at least 5 MiB)
 */
public record S3Settings(URI endpoint, String region, String bucket, String prefix, boolean pathStyle,
                         String sse, String sseKmsKeyId, Duration redirectTtl, long partSize) {

    /** S3's smallest part, except for the last one of an upload. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    public S3Settings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("the s3 storage driver needs a bucket (MESH_S3_BUCKET)");
        }
        prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
    }
}
