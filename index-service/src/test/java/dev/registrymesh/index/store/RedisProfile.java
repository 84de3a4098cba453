package dev.registrymesh.index.store;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The application on the Redis adapter, with an internal token required. */
public class RedisProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisTestServer.class));
    }
}
