package dev.registrymesh.index.store;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** The contract on the Redis adapter, as the application wires it when REDIS_URL is set. */
@QuarkusTest
@TestProfile(RedisProfile.class)
class RedisStoreTest extends StoreContract {
    @Inject
    IndexStore store;

    @Override
    protected IndexStore store() {
        return store;
    }
}
