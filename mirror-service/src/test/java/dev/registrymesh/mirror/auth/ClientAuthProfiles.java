package dev.registrymesh.mirror.auth;

import dev.registrymesh.testkit.JwksTestServer;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The mirror with client tokens demanded, against {@link JwksTestServer}; the other mirror tests run with it off. */
final class ClientAuthProfiles {
    private ClientAuthProfiles() {
    }

    /** A private mirror: every /v2 request needs a token. */
    public static class Private implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mesh.auth.enabled", "true",
                    "mirror.upstreams", "registry.test=http://127.0.0.1:1,ghcr.io=http://127.0.0.1:1",
                    "mirror.default-upstream", "registry.test");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(JwksTestServer.class));
        }
    }

    /** Tokens are checked when sent, but clients may also pull without one. */
    public static class AnonymousAllowed extends Private {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.put("mirror.allow-anonymous", "true");
            return config;
        }
    }
}
