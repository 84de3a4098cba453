package dev.registrymesh.registry.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends the registry's events to index-service (and any other consumer of Distribution notifications) without
 * losing them when it is down: {@link #publish} hands each event to an {@link EventWriter}, which stores groups of
 * them in the {@link EventQueue} under {@code ${mesh.data-dir}/events} with one fsync a group, and an
 * {@link EventSender} drains that queue in batches with retries. The request path never waits for JSON or the disk.
 * Replaces {@link DiscardingEventSink}; with {@code mesh.notifications.enabled=false} events are dropped.
 */
@Startup
@ApplicationScoped
public class DurableEventSink implements RegistryEventSink {
    private static final Logger LOG = Logger.getLogger(DurableEventSink.class);
    /**
     * Events that may wait in memory for the writer thread (tens of MB at most). With group commit the writer keeps
     * up with any rate its disk can write; this only fills when the disk stalls for many seconds.
     */
    private static final int WRITE_BACKLOG = 65_536;

    @Inject
    Vertx vertx;
    @Inject
    NotificationConfig config;
    @Inject
    MeterRegistry meters;
    @ConfigProperty(name = "mesh.data-dir")
    String dataDir;
    @ConfigProperty(name = "mesh.index-url", defaultValue = "http://127.0.0.1:5002")
    String indexUrl;
    @ConfigProperty(name = "mesh.registry-url", defaultValue = "http://127.0.0.1:5000")
    String registryUrl;
    @ConfigProperty(name = "mesh.internal-token")
    Optional<String> internalToken;

    private EventQueue queue;
    private EventQueueStats stats;
    private EventWriter writer;
    private ExecutorService sending;
    private EventSender sender;

    @PostConstruct
    void start() {
        if (!config.enabled()) {
            LOG.info("registry notifications are off (mesh.notifications.enabled=false)");
            return;
        }
        String url = config.url().orElse(stripSlash(indexUrl) + "/internal/v1/events");
        queue = new EventQueue(Path.of(dataDir, "events"), config.fsync(), config.maxQueueBytes().asLongValue(),
                config.segmentBytes().asLongValue());
        stats = new EventQueueStats(queue).bind(meters);
        NotificationEnvelope envelope = new NotificationEnvelope(registryUrl, UUID.randomUUID().toString());
        sending = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mesh-events-sender");
            t.setDaemon(true);
            return t;
        });
        sender = new EventSender(vertx, stats, sending, url, internalToken.orElse(null), config.batchSize(),
                config.backoffInitial(), config.backoffMax());
        writer = new EventWriter(queue, envelope::event, stats, WRITE_BACKLOG, sender::kick);
        sender.start();
        LOG.infof("registry notifications go to %s (%d queued from before, %d bytes of at most %d)", url, queue.size(),
                queue.bytes(), queue.maxBytes());
    }

    @Override
    public void publish(RegistryEvent event) {
        if (writer != null) {
            writer.publish(event);
        }
    }

    /** The queue's numbers, or null when notifications are off. */
    public EventQueueStats stats() {
        return stats;
    }

    /** Events handed over and not yet stored. */
    public int backlog() {
        return writer == null ? 0 : writer.backlog();
    }

    @PreDestroy
    void stop() {
        if (sender != null) {
            sender.stop();
            // Let handed-over events reach the disk before the process ends.
            writer.close(5_000);
            sending.shutdown();
            try {
                sending.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            queue.close();
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
