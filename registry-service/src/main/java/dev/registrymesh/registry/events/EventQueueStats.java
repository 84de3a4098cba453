package dev.registrymesh.registry.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * What the event queue did and what state it is in, for the log, the metrics and the readiness check. Refusals
 * come in episodes: the first refusal of an episode is logged (not every event), and so is its end, with the count.
 */
public final class EventQueueStats {
    private static final Logger LOG = Logger.getLogger(EventQueueStats.class);

    /** Why events were dropped. */
    public enum Reason {
        /** the queue reached {@code mesh.notifications.max-queue-bytes} */
        FULL,
        /** the writer thread fell so far behind (a stalled disk) that its in-memory hand-off filled */
        BACKLOG,
        /** the disk refused the write */
        ERROR
    }

    private final EventQueue queue;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final Map<Reason, AtomicLong> dropped = new ConcurrentHashMap<>();
    private final AtomicLong droppedInEpisode = new AtomicLong();
    private volatile Reason episode;
    private Counter writtenCounter;
    private Counter deliveredCounter;
    private final Map<Reason, Counter> droppedCounters = new ConcurrentHashMap<>();
    private DistributionSummary groupSizes;
    private Timer commits;

    public EventQueueStats(EventQueue queue) {
        this.queue = queue;
        for (Reason r : Reason.values()) {
            dropped.put(r, new AtomicLong());
        }
    }

    /** Registers the metrics; names as Prometheus shows them: {@code registry_events_*}. */
    public EventQueueStats bind(MeterRegistry registry) {
        Gauge.builder("registry.events.queue.bytes", queue, EventQueue::bytes).baseUnit("bytes")
                .description("Bytes of events stored and not yet delivered").register(registry);
        Gauge.builder("registry.events.queue.max.bytes", queue, EventQueue::maxBytes).baseUnit("bytes")
                .description("The bound of the event queue (mesh.notifications.max-queue-bytes)").register(registry);
        Gauge.builder("registry.events.queue.events", queue, EventQueue::size)
                .description("Events stored and not yet delivered").register(registry);
        Gauge.builder("registry.events.queue.full", this, s -> s.episode == Reason.FULL ? 1 : 0)
                .description("1 while events are refused because the queue is full").register(registry);
        writtenCounter = Counter.builder("registry.events.written").description("Events stored durably").register(registry);
        deliveredCounter = Counter.builder("registry.events.delivered").description("Events the receiver accepted").register(registry);
        for (Reason r : Reason.values()) {
            droppedCounters.put(r, Counter.builder("registry.events.dropped").tag("reason", r.name().toLowerCase())
                    .description("Events lost, by reason").register(registry));
        }
        groupSizes = DistributionSummary.builder("registry.events.commit.group")
                .description("Events stored by one write and fsync").register(registry);
        commits = Timer.builder("registry.events.commit").description("One group commit: write and fsync").register(registry);
        return this;
    }

    /** A group was stored; {@code all} when nothing of it was refused. */
    void committed(int events, long nanos, boolean all) {
        written.addAndGet(events);
        if (writtenCounter != null) {
            writtenCounter.increment(events);
            groupSizes.record(events);
            commits.record(nanos, TimeUnit.NANOSECONDS);
        }
        Reason was = episode;
        // A full queue's episode ends only when it has drained a little, so that a queue hovering at its bound
        // logs one episode rather than one per group.
        if (was != null && all && (was != Reason.FULL || queue.bytes() <= queue.maxBytes() / 10 * 9)) {
            episode = null;
            LOG.infof("registry event queue takes events again (%d bytes queued); %d events were dropped (%s)",
                    queue.bytes(), droppedInEpisode.getAndSet(0), was.name().toLowerCase());
        }
    }

    void dropped(Reason reason, int events, Throwable cause) {
        if (events <= 0) {
            return;
        }
        dropped.get(reason).addAndGet(events);
        droppedInEpisode.addAndGet(events);
        if (droppedCounters.containsKey(reason)) {
            droppedCounters.get(reason).increment(events);
        }
        if (episode != reason) {
            episode = reason;
            switch (reason) {
                case FULL -> LOG.errorf("registry event queue is full (%d of %d bytes, %d events waiting for the receiver): "
                        + "new events are dropped until it drains (mesh.notifications.max-queue-bytes)",
                        queue.bytes(), queue.maxBytes(), queue.size());
                case BACKLOG -> LOG.errorf("registry event writer is behind (the disk stalls): new events are dropped until it catches up");
                case ERROR -> LOG.errorf(cause, "registry events cannot be written to disk: new events are dropped until a write succeeds");
            }
        }
    }

    void delivered(int events) {
        delivered.addAndGet(events);
        if (deliveredCounter != null) {
            deliveredCounter.increment(events);
        }
    }

    public long written() {
        return written.get();
    }

    public long delivered() {
        return delivered.get();
    }

    public long dropped(Reason reason) {
        return dropped.get(reason).get();
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** The ongoing refusal episode, or null when events are taken. */
    public Reason refusing() {
        return episode;
    }

    public EventQueue queue() {
        return queue;
    }
}
