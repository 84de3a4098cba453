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

    @Override
    protected void assertNoUploadsLeft() {
        S3Storage s3 = storage(proxy, bucket, prefix);
        clients.add(s3);
        assertEquals(List.of(), s3.list(s3.layout().uploads(), false).objects());
        assertEquals(List.of(), s3.multipartUploads(s3.layout().uploads(), Instant.now().plusSeconds(60)));
    }
}
