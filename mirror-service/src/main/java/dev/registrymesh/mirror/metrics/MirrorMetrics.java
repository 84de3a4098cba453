package dev.registrymesh.mirror.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mirror's meters (Prometheus names in brackets):
 * {@code mirror.requests} [mirror_requests_total] by kind and result (hit, miss, peer, stale, error),
 * {@code mirror.bytes.served} and {@code mirror.bytes.fetched} per upstream (fetched also by source),
 * {@code mirror.upstream.latency} (time to the response headers), {@code mirror.fetches.inflight},
 * {@code mirror.evictions}, {@code mirror.cache.size} (bytes on this node's disk).
 */
@ApplicationScoped
public class MirrorMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong cacheBytes = new AtomicLong();

    @Inject
    public MirrorMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("mirror.fetches.inflight", inFlight);
        registry.gauge("mirror.cache.size", cacheBytes);
        // Present from the start, so that a dashboard shows 0 rather than nothing before the first eviction.
        Counter.builder("mirror.evictions").register(registry);
        Counter.builder("mirror.evicted.bytes").register(registry);
        registry.counter("mirror.prefetches", "result", "started");
        registry.counter("mirror.prefetches", "result", "skipped");
    }

    public void request(String kind, String result) {
        registry.counter("mirror.requests", "kind", kind, "result", result).increment();
    }

    /** A blob an image manifest named: {@code started} ahead of the client, or {@code skipped} (byte budget). */
    public void prefetch(String result) {
        registry.counter("mirror.prefetches", "result", result).increment();
    }

    public void bytesServed(String upstream, long bytes) {
        registry.counter("mirror.bytes.served", "upstream", upstream).increment(bytes);
    }

    public void bytesFetched(String upstream, String source, long bytes) {
        registry.counter("mirror.bytes.fetched", "upstream", upstream, "source", source).increment(bytes);
    }

    public void upstreamLatency(String upstream, String method, long nanos) {
        Timer.builder("mirror.upstream.latency").tag("upstream", upstream).tag("method", method)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void fetchStarted() {
        inFlight.incrementAndGet();
    }

    public void fetchEnded() {
        inFlight.decrementAndGet();
    }

    public void evicted(int items, long bytes) {
        Counter.builder("mirror.evictions").register(registry).increment(items);
        Counter.builder("mirror.evicted.bytes").register(registry).increment(bytes);
    }

    public void cacheSize(long bytes) {
        cacheBytes.set(bytes);
    }
}
