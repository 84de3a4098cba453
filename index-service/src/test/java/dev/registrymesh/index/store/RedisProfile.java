package dev.registrymesh.index.store;

import dev.registrymesh.testkit.RedisTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The application on the Redis adapter (a real redis-server on a free port), with an internal token required. */
public class RedisProfile implements QuarkusTestProfile {
    public static final String INTERNAL_TOKEN = "internal-test-token";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mesh.internal-token", INTERNAL_TOKEN);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisTestResource.class, Map.of("properties", "mesh.redis-url,quarkus.redis.hosts")));
    }
}
