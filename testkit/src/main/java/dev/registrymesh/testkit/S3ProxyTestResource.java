package dev.registrymesh.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@link S3ProxyServer} with one bucket for a {@code @QuarkusTest}, and the registry configured to store in
 * it ({@code mesh.storage.driver=s3}, {@code mesh.s3.*}). The AWS SDK's default chain gets the proxy's
 * credentials from the system properties {@code aws.accessKeyId}/{@code aws.secretAccessKey}, which come before
 * any AWS_* variable of the machine; the region is set explicitly.
 */
public class S3ProxyTestResource implements QuarkusTestResourceLifecycleManager {
    private S3ProxyServer server;

    @Override
    public Map<String, String> start() {
        server = S3ProxyServer.start();
        String bucket = server.createBucket("mesh-registry");
        System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("mesh.storage.driver", "s3");
        config.put("mesh.s3.endpoint", server.endpoint());
        config.put("mesh.s3.region", "us-east-1");
        config.put("mesh.s3.bucket", bucket);
        config.put("mesh.s3.prefix", "registry");
        config.put("mesh.s3.path-style", "true");
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }
}
