package dev.registrymesh.registry.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.registrymesh.registry.blob.UploadService;
import dev.registrymesh.registry.storage.StorageContractTest;
import dev.registrymesh.testkit.S3ProxyServer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The storage contract on the s3 driver against S3Proxy (filesystem backend). Each test works under a prefix
 * of its own; each "node" has its own S3 client, as another registry process would.
 */
class S3StorageTest extends StorageContractTest {
    private static S3ProxyServer proxy;
    private static String bucket;
    private final List<S3Storage> clients = new ArrayList<>();
    private String prefix;

    @BeforeAll
    static void startProxy() {
        proxy = S3ProxyServer.start();
        bucket = proxy.createBucket("mesh-contract");
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.stop();
        }
    }

    @BeforeEach
    void newPrefix() {
        prefix = "t-" + UUID.randomUUID();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(S3Storage::close);
    }

    /** A client configured explicitly: nothing of the machine's AWS environment (region, credentials) counts. */
    static S3Storage storage(S3ProxyServer proxy, String bucket, String prefix) {
        S3Settings settings = new S3Settings(URI.create(proxy.endpoint()), "us-east-1", bucket, prefix, true, null, null,
                null, S3Settings.MIN_PART_SIZE);
        return new S3Storage(settings, StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)));
    }

    @Override
    protected Node newNode(Vertx vertx) {
        S3Storage s3 = storage(proxy, bucket, prefix);
        clients.add(s3);
        java.nio.file.Path temp = scratch.resolve("node-" + clients.size());
        S3BlobStore blobs = new S3BlobStore(s3, temp);
        S3RepositoryStore repositories = new S3RepositoryStore(s3);
        S3UploadStore uploads = new S3UploadStore(s3, temp);
        return new Node(blobs, repositories, uploads, temp, new UploadService(vertx, uploads, blobs, repositories));
    }

    /** Redirect mode: the blob's URL is presigned and short-lived, and a plain HTTP client gets the bytes from it. */
    @org.junit.jupiter.api.Test
    void redirectModePresignsBlobUrls() throws Exception {
        S3Settings settings = new S3Settings(URI.create(proxy.endpoint()), "us-east-1", bucket, prefix, true, null, null,
                java.time.Duration.ofMinutes(5), S3Settings.MIN_PART_SIZE);
        S3Storage s3 = new S3Storage(settings, StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)));
        clients.add(s3);
        S3BlobStore blobs = new S3BlobStore(s3, scratch);
        byte[] content = "redirected bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        dev.registrymesh.common.Digest digest = dev.registrymesh.common.Digest.sha256(content);
        blobs.put(digest, content);
        URI url = blobs.redirect(digest);
        org.junit.jupiter.api.Assertions.assertTrue(url.getQuery().contains("X-Amz-Expires=300"), url.toString());
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(url)
                .header("Range", "bytes=11-15").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(206, response.statusCode());
        assertEquals("bytes", response.body());
        org.junit.jupiter.api.Assertions.assertNull(new S3BlobStore(storage(proxy, bucket, prefix), scratch).redirect(digest),
                "without redirect mode the registry streams");
    }

    @Override
    protected void assertNoUploadsLeft() {
        S3Storage s3 = storage(proxy, bucket, prefix);
        clients.add(s3);
        assertEquals(List.of(), s3.list(s3.layout().uploads(), false).objects());
        assertEquals(List.of(), s3.multipartUploads(s3.layout().uploads(), Instant.now().plusSeconds(60)));
    }
}
