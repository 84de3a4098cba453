package dev.registrymesh.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link RedisServer} for a {@code @QuarkusTest}: {@code @QuarkusTestResource(RedisTestResource.class)}.
 * It sets {@code quarkus.redis.hosts} to the server's URL; pass the init arg {@code properties}
 * (comma-separated config keys) to set other keys instead.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private String properties = "quarkus.redis.hosts";
    private RedisServer server;

    @Override
    public void init(Map<String, String> initArgs) {
        properties = initArgs.getOrDefault("properties", properties);
    }

    @Override
    public Map<String, String> start() {
        server = RedisServer.start();
        Map<String, String> config = new LinkedHashMap<>();
        for (String key : properties.split(",")) {
            if (!key.isBlank()) {
                config.put(key.trim(), server.url());
            }
        }
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
