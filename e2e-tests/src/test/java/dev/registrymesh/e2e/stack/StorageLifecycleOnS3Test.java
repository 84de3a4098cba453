package dev.registrymesh.e2e.stack;

import dev.registrymesh.testkit.FreePort;
import dev.registrymesh.testkit.S3ProxyServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every test of {@link StorageLifecycleTest} again with the registry on the s3 driver (S3Proxy on its filesystem
 * backend, whose bucket is a directory): the race of collections against pushes, deletions and pulls, and the
 * collection killed mid-run, are measured in the bucket. This class's {@code start} and {@code stop} hide the
 * superclass's, so JUnit runs these instead.
 */
class StorageLifecycleOnS3Test extends StorageLifecycleTest {
    private static final String BUCKET = "lifecycle";
    private static S3ProxyServer s3;

    @BeforeAll
    static void start() {
        s3 = S3ProxyServer.start();
        s3.createBucket(BUCKET);
        Map<String, String> env = new HashMap<>(REGISTRY_ENV);
        env.putAll(s3.registryEnv(BUCKET, "registry"));
        mesh = MeshStack.start(Map.of(), Map.of(), env, FreePort.find());
        blobsRoot = s3.bucketDir(BUCKET).resolve("registry/blobs");
    }

    @AfterAll
    static void stop() {
        try {
            StorageLifecycleTest.stop();
        } finally {
            if (s3 != null) {
                s3.close();
            }
        }
    }
}
