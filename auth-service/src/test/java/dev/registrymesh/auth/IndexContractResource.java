package dev.registrymesh.auth;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** Starts {@link IndexContractServer} for the auth-service @QuarkusTests and points the service at it. */
public class IndexContractResource implements QuarkusTestResourceLifecycleManager {
    private IndexContractServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = new IndexContractServer();
            Map<String, String> config = new HashMap<>();
            config.put("mesh.index-url", server.url());
            config.put("mesh.internal-token", IndexContractServer.INTERNAL_TOKEN);
            config.put("mesh.data-dir", Files.createTempDirectory("auth-test").toString());
            config.put("mesh.auth.issuer", "test-issuer");
            config.put("mesh.auth.token-ttl", "10s"); // below the floor: must come out as 60
            config.put("mesh.auth.throttle.account-free-failures", "3");
            config.put("mesh.auth.throttle.address-free-failures", "6");
            config.put("mesh.auth.throttle.base-delay", "1s");
            config.put("mesh.auth.throttle.account-max-delay", "2s");
            config.put("mesh.auth.throttle.address-max-delay", "2s");
            // Lets the tests play several client addresses; off by default in production.
            config.put("quarkus.http.proxy.proxy-address-forwarding", "true");
            config.put("quarkus.http.proxy.allow-x-forwarded", "true");
            return config;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
