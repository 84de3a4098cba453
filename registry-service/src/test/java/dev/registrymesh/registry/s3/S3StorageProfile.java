package dev.registrymesh.registry.s3;

import dev.registrymesh.testkit.S3ProxyTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The registry on the s3 driver, against S3Proxy. */
public class S3StorageProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(S3ProxyTestResource.class));
    }
}
