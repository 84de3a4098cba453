package dev.registrymesh.mirror;

import dev.registrymesh.testkit.DistributionRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real upstream for the mirror under test: CNCF Distribution on a free loopback port, known to the mirror
 * as {@code registry.test} (the default upstream) with a 2 s tag TTL.
 */
public class UpstreamTestResource implements QuarkusTestResourceLifecycleManager {
    static DistributionRegistry upstream;
    private java.nio.file.Path dataDir;

    @Override
    public Map<String, String> start() {
        upstream = DistributionRegistry.builder().start();
        try {
            dataDir = java.nio.file.Files.createTempDirectory("mirror-test-data-"); // a cold cache each run
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Map.of(
                "mesh.data-dir", dataDir.toString(),
                "mirror.upstreams", "registry.test=" + upstream.url() + ",other.test:5000=http://127.0.0.1:1",
                "mirror.default-upstream", "registry.test",
                "mirror-upstream.registry-test.tag-ttl", "2s",
                "mirror.stale-window", "1h",
                "mirror.tags-list-ttl", "1s",
                "mirror.upstream-connect-timeout", "2s");
    }

    @Override
    public void stop() {
        if (upstream != null) {
            upstream.stop();
        }
        if (dataDir != null) {
            try (var files = java.nio.file.Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException e) {
                // a temp directory: the OS cleans it eventually
            }
        }
    }
}
