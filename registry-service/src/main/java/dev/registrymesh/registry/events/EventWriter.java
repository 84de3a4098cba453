package dev.registrymesh.registry.events;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Group commit in front of an {@link EventQueue}: {@link #publish} only hands the event to one writer thread
 * (the caller is an event loop and must not wait for JSON or the disk), and the writer stores everything that arrived
 * while its previous fsync ran as one group, with one write and one fsync. So the cost of an fsync is shared by
 * all events of a burst, and the queue keeps up with any rate its disk's bandwidth allows.
 * <p>
 * An event counts as stored (and {@link #append}'s future completes with true) only after its group's fsync.
 */
public final class EventWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventWriter.class);
    /** The most events in one group: bounds one write's buffer (a few MiB). */
    static final int MAX_GROUP = 4096;

    private record Pending(RegistryEvent event, CompletableFuture<Boolean> ack) {
    }

    private final EventQueue queue;
    private final Function<RegistryEvent, byte[]> serializer;
    private final EventQueueStats stats;
    private final Runnable onStored;
    private final BlockingQueue<Pending> handoff;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param backlog  events that may wait in memory for the writer; beyond that the disk is stalled and events
     *                 are dropped (counted as {@link EventQueueStats.Reason#BACKLOG})
     * @param onStored called on the writer thread after each group is durable (to wake the sender)
     */
    public EventWriter(EventQueue queue, Function<RegistryEvent, byte[]> serializer, EventQueueStats stats, int backlog,
                       Runnable onStored) {
        this.queue = queue;
        this.serializer = serializer;
        this.stats = stats;
        this.onStored = onStored;
        this.handoff = new LinkedBlockingQueue<>(backlog);
        this.thread = new Thread(this::run, "mesh-events-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues an event for storing; never blocks. False when it was dropped (counted). */
    public boolean publish(RegistryEvent event) {
        return offer(new Pending(event, null));
    }

    /** Like {@link #publish}; the future says, after the group's fsync, whether the event was stored. */
    public CompletableFuture<Boolean> append(RegistryEvent event) {
        CompletableFuture<Boolean> ack = new CompletableFuture<>();
        offer(new Pending(event, ack));
        return ack;
    }

    private boolean offer(Pending p) {
        if (running && handoff.offer(p)) {
            return true;
        }
        stats.dropped(EventQueueStats.Reason.BACKLOG, 1, null);
        if (p.ack() != null) {
            p.ack().complete(false);
        }
        return false;
    }

    private void run() {
        List<Pending> group = new ArrayList<>(MAX_GROUP);
        List<byte[]> jsons = new ArrayList<>(MAX_GROUP);
        while (running || !handoff.isEmpty()) {
            try {
                Pending first = handoff.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
            } catch (InterruptedException e) {
                // close() interrupts a writer waiting for work; what is queued is still written below.
                continue;
            }
            handoff.drainTo(group, MAX_GROUP - 1);
            commit(group, jsons);
            group.clear();
            jsons.clear();
        }
    }

    private void commit(List<Pending> group, List<byte[]> jsons) {
        List<Pending> serialized = new ArrayList<>(group.size());
        for (Pending p : group) {
            try {
                jsons.add(serializer.apply(p.event()));
                serialized.add(p);
            } catch (RuntimeException e) {
                LOG.errorf(e, "cannot serialize a registry event; dropped");
                stats.dropped(EventQueueStats.Reason.ERROR, 1, e);
                ack(p, false);
            }
        }
        long start = System.nanoTime();
        int stored = 0;
        boolean failed = false;
        try {
            stored = queue.append(jsons);
        } catch (UncheckedIOException e) {
            failed = true;
            stats.dropped(EventQueueStats.Reason.ERROR, jsons.size(), e);
        }
        if (!failed && stored < jsons.size()) {
            // What did not fit under the byte bound.
            stats.dropped(EventQueueStats.Reason.FULL, jsons.size() - stored, null);
        }
        if (stored > 0) {
            stats.committed(stored, System.nanoTime() - start, stored == jsons.size());
        }
        for (int i = 0; i < serialized.size(); i++) {
            ack(serialized.get(i), i < stored);
        }
        if (stored > 0) {
            onStored.run();
        }
    }

    private static void ack(Pending p, boolean stored) {
        if (p.ack() != null) {
            p.ack().complete(stored);
        }
    }

    /** Events waiting in memory for the writer. */
    public int backlog() {
        return handoff.size();
    }

    /** Stops taking events, writes those already handed over, and waits (up to {@code millis}) for that. */
    public void close(long millis) {
        running = false;
        thread.interrupt();
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(5_000);
    }
}
