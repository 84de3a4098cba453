package dev.registrymesh.registry.gc;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Runs collections one at a time (the {@link ClusterLock}), from the admin API or the schedule, and counts them.
 * Metrics: {@code registry_gc_runs_total{result}}, {@code registry_gc_blobs_removed_total},
 * {@code registry_gc_reclaimed_bytes_total}, {@code registry_gc_manifests_removed_total},
 * {@code registry_gc_tags_removed_total}, {@code registry_gc_duration_seconds}, {@code registry_gc_running},
 * {@code registry_gc_last_success_timestamp_seconds}.
 */
public final class GcRunner {
    private static final Logger LOG = Logger.getLogger(GcRunner.class);

    private final GarbageCollector collector;
    private final ClusterLock lock;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong lastSuccess = new AtomicLong();
    private Counter blobs;
    private Counter bytes;
    private Counter manifests;
    private Counter tags;
    private Timer duration;
    private MeterRegistry registry;

    public GcRunner(GarbageCollector collector, ClusterLock lock) {
        this.collector = collector;
        this.lock = lock;
    }

    public GcRunner bind(MeterRegistry meters) {
        registry = meters;
        blobs = Counter.builder("registry.gc.blobs.removed").description("Blobs the garbage collection removed").register(meters);
        bytes = Counter.builder("registry.gc.reclaimed").baseUnit("bytes").description("Bytes the garbage collection freed").register(meters);
        manifests = Counter.builder("registry.gc.manifests.removed").description("Manifests the garbage collection removed").register(meters);
        tags = Counter.builder("registry.gc.tags.removed").description("Tags retention rules removed").register(meters);
        duration = Timer.builder("registry.gc.duration").description("Duration of collections that ran").register(meters);
        Gauge.builder("registry.gc.running", running, AtomicInteger::get).description("1 while this node collects").register(meters);
        Gauge.builder("registry.gc.last.success.timestamp", lastSuccess, AtomicLong::get).baseUnit("seconds")
                .description("When this node's last collection finished").register(meters);
        return this;
    }

    private void count(String result) {
        if (registry != null) {
            registry.counter("registry.gc.runs", "result", result).increment();
        }
    }

    /** A dry run reports what a collection would remove, and needs no lock: it changes nothing. */
    public GcReport run(boolean dryRun) {
        if (dryRun) {
            return collector.run(true);
        }
        ClusterLock.Held held = lock.tryAcquire();
        if (held == null) {
            count("busy");
            throw new OciException(ErrorCode.TOOMANYREQUESTS, "a garbage collection is already running (on this or another node)",
                    null);
        }
        running.set(1);
        long start = System.nanoTime();
        try (held) {
            GcReport report = collector.run(false);
            if (registry != null) {
                blobs.increment(report.blobsRemoved());
                bytes.increment(report.bytesReclaimed());
                manifests.increment(report.manifestsRemoved());
                tags.increment(report.tagsRemoved());
                duration.record(Duration.ofNanos(System.nanoTime() - start));
            }
            lastSuccess.set(System.currentTimeMillis() / 1000);
            count("ok");
            LOG.infof("gc: removed %d blobs (%d bytes), %d manifests, %d tags, %d links, %d uploads in %d ms",
                    report.blobsRemoved(), report.bytesReclaimed(), report.manifestsRemoved(), report.tagsRemoved(),
                    report.linksRemoved(), report.uploadsRemoved(), report.durationMillis());
            return report;
        } catch (RuntimeException e) {
            count("failed");
            throw e;
        } finally {
            running.set(0);
        }
    }

    /** What retention and collection would remove in one namespace's repositories (a dry run, filtered). */
    public GcReport preview(String namespace) {
        GcReport all = collector.run(true);
        String prefix = namespace + "/";
        List<String> manifestList = all.manifests().stream().filter(m -> m.startsWith(prefix)).toList();
        List<String> tagList = all.tags().stream().filter(t -> t.startsWith(prefix)).toList();
        return new GcReport(true, all.startedAt(), all.durationMillis(), 0, 0, manifestList.size(), tagList.size(), 0, 0,
                List.of(), manifestList, tagList);
    }
}
