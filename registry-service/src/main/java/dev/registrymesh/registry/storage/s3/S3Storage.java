package dev.registrymesh.registry.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The s3 driver's access to its bucket: one async client (Netty, like Vert.x) and a presigner, and the few
 * S3 calls the driver uses, blocking (callers are on worker threads) except for streamed reads. Credentials
 * come from the AWS SDK's default chain unless a test passes its own.
 *
 * <p>S3 calls used, all served by AWS S3 and by S3Proxy: PutObject, GetObject (ranged), HeadObject,
 * DeleteObject, ListObjectsV2 (prefix, delimiter, continuation), CopyObject, CreateMultipartUpload,
 * UploadPart, UploadPartCopy (ranged), CompleteMultipartUpload, AbortMultipartUpload, ListMultipartUploads
 * (janitor only).
 */
public final class S3Storage implements AutoCloseable {
    private final S3Settings settings;
    private final S3AsyncClient client;
    private final S3Presigner presigner;
    private final S3Layout layout;
    /** Feeds request bodies made of several objects (a part gathered from small chunks) to the client. */
    private final ExecutorService bodyFeeder = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "s3-body-feeder");
        t.setDaemon(true);
        return t;
    });

    /** One listing: object keys (with sizes and times) and the common prefixes below a delimiter. */
    public record Listing(List<S3Object> objects, List<String> prefixes) {
    }

    public S3Storage(S3Settings settings, AwsCredentialsProvider credentials) {
        this.settings = settings;
        this.layout = new S3Layout(settings.prefix());
        AwsCredentialsProvider provider = credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .credentialsProvider(provider)
                .forcePathStyle(settings.pathStyle())
                // Checksums only where S3 demands them: S3-compatible stores often refuse the newer trailers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(128));
        S3Presigner.Builder presign = S3Presigner.builder()
                .credentialsProvider(provider)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
        Region region = settings.region() != null ? Region.of(settings.region())
                : settings.endpoint() != null ? Region.US_EAST_1 : null;
        if (region != null) {
            builder.region(region);
            presign.region(region);
        }
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
            presign.endpointOverride(settings.endpoint());
        }
        this.client = builder.build();
        this.presigner = presign.build();
    }

    public S3Settings settings() {
        return settings;
    }

    public S3Layout layout() {
        return layout;
    }

    public S3AsyncClient client() {
        return client;
    }

    private String bucket() {
        return settings.bucket();
    }

    /** The size of an object, or -1 when there is none. */
    public long size(String key) {
        try {
            return join(client.headObject(b -> b.bucket(bucket()).key(key))).contentLength();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return -1;
            }
            throw e;
        }
    }

    /** An object's size and last-modified time, or null when there is none. */
    public software.amazon.awssdk.services.s3.model.HeadObjectResponse head(String key) {
        try {
            return join(client.headObject(b -> b.bucket(bucket()).key(key)));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** A small object's bytes, or null when there is none. */
    public byte[] bytes(String key) {
        try {
            ResponseBytes<GetObjectResponse> bytes = join(client.getObject(b -> b.bucket(bucket()).key(key), AsyncResponseTransformer.toBytes()));
            return bytes.asByteArray();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** Streams {@code length} bytes of an object from {@code offset}; completes once S3 has answered. */
    public CompletableFuture<ResponsePublisher<GetObjectResponse>> read(String key, long offset, long length) {
        return client.getObject(b -> b.bucket(bucket()).key(key).range("bytes=" + offset + "-" + (offset + length - 1)),
                AsyncResponseTransformer.toPublisher());
    }

    /** An object's bytes as a blocking stream (for hashing and gathering chunks into a part). */
    public InputStream stream(String key) {
        return join(client.getObject(b -> b.bucket(bucket()).key(key), AsyncResponseTransformer.toBlockingInputStream()));
    }

    public void put(String key, byte[] content) {
        join(client.putObject(encrypted(PutObjectRequest.builder().bucket(bucket()).key(key).contentLength((long) content.length)),
                AsyncRequestBody.fromBytes(content)));
    }

    /** Writes a local file to {@code key}, streamed from disk; the object appears whole or not at all. */
    public void put(String key, Path file, long length) {
        join(client.putObject(encrypted(PutObjectRequest.builder().bucket(bucket()).key(key).contentLength(length)),
                AsyncRequestBody.fromFile(file)));
    }

    /** Writes {@code length} bytes read from {@code in} to {@code key}. */
    public void put(String key, InputStream in, long length) {
        join(client.putObject(encrypted(PutObjectRequest.builder().bucket(bucket()).key(key).contentLength(length)),
                AsyncRequestBody.fromInputStream(in, length, bodyFeeder)));
    }

    private PutObjectRequest encrypted(PutObjectRequest.Builder request) {
        if (settings.sse() != null) {
            request.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse()));
            if (settings.sseKmsKeyId() != null) {
                request.ssekmsKeyId(settings.sseKmsKeyId());
            }
        }
        return request.build();
    }

    public void copy(String from, String to) {
        CopyObjectRequest.Builder request = CopyObjectRequest.builder()
                .sourceBucket(bucket()).sourceKey(from).destinationBucket(bucket()).destinationKey(to);
        if (settings.sse() != null) {
            request.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse()));
            if (settings.sseKmsKeyId() != null) {
                request.ssekmsKeyId(settings.sseKmsKeyId());
            }
        }
        join(client.copyObject(request.build()));
    }

    /** Deletes an object; false when there was none. */
    public boolean delete(String key) {
        if (size(key) < 0) {
            return false;
        }
        join(client.deleteObject(b -> b.bucket(bucket()).key(key)));
        return true;
    }

    /**
     * Deletes many objects, up to 32 requests at once. One DeleteObject per key rather than DeleteObjects:
     * the SDK adds a CRC32 checksum header to DeleteObjects that S3-compatible stores (S3Proxy among them) refuse.
     */
    public void deleteAll(List<String> keys) {
        for (int from = 0; from < keys.size(); from += 32) {
            CompletableFuture<?>[] batch = keys.subList(from, Math.min(keys.size(), from + 32)).stream()
                    .map(k -> client.deleteObject(b -> b.bucket(bucket()).key(k)))
                    .toArray(CompletableFuture[]::new);
            join(CompletableFuture.allOf(batch));
        }
    }

    /** Every object below {@code prefix} (or only the next level, with the common prefixes, when {@code delimited}). */
    public Listing list(String prefix, boolean delimited) {
        List<S3Object> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = join(client.listObjectsV2(b -> {
                b.bucket(bucket()).prefix(prefix).continuationToken(continuation);
                if (delimited) {
                    b.delimiter("/");
                }
            }));
            objects.addAll(page.contents());
            page.commonPrefixes().forEach(p -> prefixes.add(p.prefix()));
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return new Listing(objects, prefixes);
    }

    /** True when at least one object has a key starting with {@code prefix}. */
    public boolean any(String prefix) {
        return !join(client.listObjectsV2(b -> b.bucket(bucket()).prefix(prefix).maxKeys(1))).contents().isEmpty();
    }

    public String createMultipart(String key) {
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder().bucket(bucket()).key(key);
        if (settings.sse() != null) {
            request.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse()));
            if (settings.sseKmsKeyId() != null) {
                request.ssekmsKeyId(settings.sseKmsKeyId());
            }
        }
        return join(client.createMultipartUpload(request.build())).uploadId();
    }

    /** Uploads part {@code number}, {@code length} bytes from {@code in}; returns its ETag. */
    public String uploadPart(String key, String uploadId, int number, InputStream in, long length) {
        return join(client.uploadPart(b -> b.bucket(bucket()).key(key).uploadId(uploadId).partNumber(number).contentLength(length),
                AsyncRequestBody.fromInputStream(in, length, bodyFeeder))).eTag();
    }

    /** Copies bytes {@code first..last} (inclusive) of object {@code source} as part {@code number}; returns its ETag. */
    public String uploadPartCopy(String source, long first, long last, String key, String uploadId, int number) {
        return join(client.uploadPartCopy(b -> b.sourceBucket(bucket()).sourceKey(source).copySourceRange("bytes=" + first + "-" + last)
                .destinationBucket(bucket()).destinationKey(key).uploadId(uploadId).partNumber(number))).copyPartResult().eTag();
    }

    public void completeMultipart(String key, String uploadId, List<CompletedPart> parts) {
        join(client.completeMultipartUpload(b -> b.bucket(bucket()).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts))));
    }

    /** Aborts a multipart upload; one that is already gone is not an error. */
    public void abortMultipart(String key, String uploadId) {
        try {
            join(client.abortMultipartUpload(b -> b.bucket(bucket()).key(key).uploadId(uploadId)));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
    }

    /** Multipart uploads below {@code prefix} started before {@code cutoff}. */
    public List<MultipartUpload> multipartUploads(String prefix, Instant cutoff) {
        List<MultipartUpload> found = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        while (true) {
            String k = keyMarker;
            String i = idMarker;
            ListMultipartUploadsResponse page = join(client.listMultipartUploads(b -> b.bucket(bucket()).prefix(prefix)
                    .keyMarker(k).uploadIdMarker(i)));
            page.uploads().stream().filter(u -> u.initiated() == null || u.initiated().isBefore(cutoff)).forEach(found::add);
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                return found;
            }
            keyMarker = page.nextKeyMarker();
            idMarker = page.nextUploadIdMarker();
        }
    }

    /** A URL from which anyone holding it may GET the object for {@link S3Settings#redirectTtl()}. */
    public URI presignedGet(String key) {
        try {
            return presigner.presignGetObject(p -> p.signatureDuration(settings.redirectTtl())
                    .getObjectRequest(g -> g.bucket(bucket()).key(key))).url().toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for an SDK call; S3 errors come out as they are, I/O failures as UncheckedIOException. */
    static <T> T join(CompletableFuture<T> call) {
        try {
            return call.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SdkException sdk) {
                throw sdk;
            }
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        client.close();
        presigner.close();
        bodyFeeder.shutdownNow();
    }
}
