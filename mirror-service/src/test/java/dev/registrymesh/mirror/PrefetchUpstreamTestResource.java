package dev.registrymesh.mirror;

import dev.registrymesh.testkit.DistributionRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/** CNCF Distribution behind a {@link FaultyUpstream} that counts requests, for a mirror that fetches layers ahead. */
public class PrefetchUpstreamTestResource implements QuarkusTestResourceLifecycleManager {
    /** The prefetch budget of the mirror under test. */
    static final long BUDGET = 1024 * 1024;

    static DistributionRegistry registry;
    static FaultyUpstream proxy;
    private Path dataDir;

    @Override
    public Map<String, String> start() {
        registry = DistributionRegistry.builder().start();
        proxy = FaultyUpstream.start(registry.port());
        try {
            dataDir = Files.createTempDirectory("mirror-prefetch-test-data-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "mesh.data-dir", dataDir.toString(),
                "mesh.auth.enabled", "false",
                "mirror.upstreams", "registry.test=" + proxy.url(),
                "mirror.default-upstream", "registry.test",
                "mirror.upstream-connect-timeout", "2s",
                "mirror.upstream-backoff", "0s",
                "mirror.prefetch", "true",
                "mirror.prefetch-max-bytes", Long.toString(BUDGET));
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (registry != null) {
            registry.stop();
        }
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp directory: the OS cleans it eventually
            }
        }
    }
}
