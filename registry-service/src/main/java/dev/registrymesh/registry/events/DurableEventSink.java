package dev.registrymesh.registry.events;

import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends the registry's events to index-service (and any other consumer of Distribution notifications) without
 * losing them when it is down: each event is written to {@code ${mesh.data-dir}/events} first, by one writer
 * thread so the request path never waits for the disk, and an {@link EventSender} drains that queue with retries.
 * Replaces {@link DiscardingEventSink}; with {@code mesh.notifications.enabled=false} events are dropped.
 */
@Startup
@ApplicationScoped
public class DurableEventSink implements RegistryEventSink {
    private static final Logger LOG = Logger.getLogger(DurableEventSink.class);
    /** Events waiting for the writer thread; beyond this the registry is far ahead of its disk and drops events. */
    private static final int WRITE_BACKLOG = 100_000;

    @Inject
    Vertx vertx;
    @Inject
    NotificationConfig config;
    @ConfigProperty(name = "mesh.data-dir")
    String dataDir;
    @ConfigProperty(name = "mesh.index-url", defaultValue = "http://127.0.0.1:5002")
    String indexUrl;
    @ConfigProperty(name = "mesh.registry-url", defaultValue = "http://127.0.0.1:5000")
    String registryUrl;
    @ConfigProperty(name = "mesh.internal-token")
    Optional<String> internalToken;

    private ThreadPoolExecutor writer;
    private EventSender sender;
    private EventQueue queue;
    private NotificationEnvelope envelope;

    @PostConstruct
    void start() {
        if (!config.enabled()) {
            LOG.info("registry notifications are off (mesh.notifications.enabled=false)");
            return;
        }
        String url = config.url().orElse(stripSlash(indexUrl) + "/internal/v1/events");
        queue = new EventQueue(Path.of(dataDir, "events"), config.fsync());
        envelope = new NotificationEnvelope(registryUrl, UUID.randomUUID().toString());
        writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(WRITE_BACKLOG),
                r -> {
                    Thread t = new Thread(r, "mesh-events");
                    t.setDaemon(true);
                    return t;
                },
                (r, executor) -> LOG.error("event queue writer is overloaded: an event was dropped"));
        sender = new EventSender(vertx, queue, writer, url, internalToken.orElse(null), config.batchSize(),
                config.backoffInitial(), config.backoffMax());
        sender.start();
        LOG.infof("registry notifications go to %s (%d queued from before)", url, queue.size());
    }

    @Override
    public void publish(RegistryEvent event) {
        if (sender == null) {
            return;
        }
        byte[] json = envelope.event(event);
        writer.execute(() -> {
            try {
                queue.append(json);
                sender.kick();
            } catch (RuntimeException e) {
                LOG.error("cannot queue a registry event", e);
            }
        });
    }

    @PreDestroy
    void stop() {
        if (sender != null) {
            sender.stop();
            writer.shutdown();
            try {
                // Let queued writes reach the disk before the process ends.
                writer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
