package dev.registrymesh.registry.auth;

import dev.registrymesh.testkit.JwksTestServer;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** Turns token enforcement on against {@link JwksTestServer}; the rest of the registry's tests run with it off. */
public class AuthEnabledProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mesh.auth.enabled", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(JwksTestServer.class));
    }
}
