package dev.registrymesh.mirror;

import dev.registrymesh.testkit.DistributionRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;

/**
 * CNCF Distribution behind a {@link FaultyUpstream}; the mirror knows the proxy as {@code registry.test} (and
 * as {@code backoff.test}, the one upstream with a backoff), with
 * short times so that a test can walk a tag through fresh, stale and too old in seconds.
 */
public class FaultyUpstreamTestResource implements QuarkusTestResourceLifecycleManager {
    static final Duration TAG_TTL = Duration.ofSeconds(1);
    static final Duration STALE_WINDOW = Duration.ofSeconds(3);
    /** Of the second alias, {@code backoff.test} (the same proxy); {@code registry.test} has none. */
    static final Duration BACKOFF = Duration.ofSeconds(2);

    static DistributionRegistry registry;
    static FaultyUpstream proxy;
    private Path dataDir;

    @Override
    public Map<String, String> start() {
        registry = DistributionRegistry.builder().start();
        proxy = FaultyUpstream.start(registry.port());
        try {
            dataDir = Files.createTempDirectory("mirror-stale-test-data-"); // a cold cache each run
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "mesh.data-dir", dataDir.toString(),
                "mesh.auth.enabled", "false", // these tests are about the upstream, not the mirror's clients
                "mirror.upstreams", "registry.test=" + proxy.url() + ",backoff.test=" + proxy.url(),
                "mirror.default-upstream", "registry.test",
                "mirror.tag-ttl", TAG_TTL.toSeconds() + "s",
                "mirror.upstream-backoff", "0s",
                "mirror-upstream.backoff-test.backoff", BACKOFF.toSeconds() + "s",
                "mirror.stale-window", STALE_WINDOW.toSeconds() + "s",
                "mirror.upstream-connect-timeout", "2s",
                // These tests count the upstream's requests one by one: no layer fetched ahead of a client.
                "mirror.prefetch", "false");
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
