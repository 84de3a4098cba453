package dev.registrymesh.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Where the registry keeps blobs, repositories and upload sessions ({@code MESH_STORAGE_DRIVER}). */
@ConfigMapping(prefix = "mesh.storage")
public interface StorageConfig {

    /** {@code filesystem} (under {@code MESH_DATA_DIR}, one node) or {@code s3} (shared, any number of nodes). */
    @WithDefault("filesystem")
    String driver();

    /** The s3 driver ({@code MESH_S3_*}). Credentials come from the AWS SDK's default chain, never from here. */
    @ConfigMapping(prefix = "mesh.s3")
    interface S3 {
        /** An S3-compatible store's URL; unset means AWS. */
        Optional<URI> endpoint();

        /** Unset: the SDK's default region chain, or us-east-1 with an endpoint. */
        Optional<String> region();

        Optional<String> bucket();

        /** Key prefix inside the bucket. */
        Optional<String> prefix();

        /** Path-style URLs ({@code endpoint/bucket/key}), which most S3-compatible stores need. */
        @WithDefault("false")
        boolean pathStyle();

        /** Server-side encryption of every object written: {@code AES256} or {@code aws:kms}. */
        Optional<String> sse();

        /** The KMS key for {@code aws:kms}; unset means the bucket's default key. */
        Optional<String> sseKmsKeyId();

        /** Blob GETs answer 307 to a presigned URL of the object instead of streaming it. */
        @WithDefault("false")
        boolean redirect();

        /** How long a presigned blob URL is valid. */
        @WithDefault("20m")
        Duration redirectTtl();

        /** Chunks are gathered until this many bytes before they become a multipart part (at least 5 MiB). */
        @WithDefault("5242880")
        long partSize();
    }
}
