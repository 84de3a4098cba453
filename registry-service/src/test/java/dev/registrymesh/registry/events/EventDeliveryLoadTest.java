package dev.registrymesh.registry.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole notification path under the registry's peak load: 200 producers publish as fast as they can through
 * the group-commit writer into the fsynced log, and the sender delivers to a receiving HTTP server that refuses one
 * POST in ten (503). No event may be dropped, and every acknowledged event must arrive (at least once).
 */
class EventDeliveryLoadTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int PRODUCERS = 200;
    static final int EACH = 300;

    @TempDir
    Path dir;

    @Test
    void manyConcurrentProducersLoseNothing() throws Exception {
        Vertx vertx = Vertx.vertx();
        ExecutorService io = Executors.newSingleThreadExecutor();
        Set<String> received = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger posts = new AtomicInteger();
        int port = EventSenderTest.freePort();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            posts.incrementAndGet();
            if (ThreadLocalRandom.current().nextInt(10) == 0) {
                req.response().setStatusCode(503).end();
                return;
            }
            try {
                for (JsonNode e : JSON.readTree(body.getBytes()).get("events")) {
                    if (!received.add(e.at("/target/tag").asText())) {
                        duplicates.incrementAndGet();
                    }
                }
                req.response().setStatusCode(202).end();
            } catch (IOException e) {
                req.response().setStatusCode(400).end();
            }
        })).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);

        EventQueue queue = new EventQueue(dir, true, 1L << 30, 4L << 20);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EventQueueStats stats = new EventQueueStats(queue).bind(meters);
        EventSender sender = new EventSender(vertx, stats, io, "http://127.0.0.1:" + port + "/internal/v1/events", null, 500,
                Duration.ofMillis(10), Duration.ofMillis(100));
        NotificationEnvelope envelope = new NotificationEnvelope("http://127.0.0.1:5000", "node-1");
        EventWriter writer = new EventWriter(queue, envelope::event, stats, 65_536, sender::kick);
        sender.start();
        try {
            List<List<CompletableFuture<Boolean>>> acks = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                List<CompletableFuture<Boolean>> mine = new ArrayList<>(EACH);
                acks.add(mine);
                int id = p;
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < EACH; i++) {
                        mine.add(writer.append(EventSenderTest.event("pull", "alice/app", id + "-" + i)));
                    }
                });
                t.start();
                producers.add(t);
            }
            long start = System.nanoTime();
            go.countDown();
            for (Thread t : producers) {
                t.join();
            }
            Set<String> acknowledged = new java.util.HashSet<>();
            for (int p = 0; p < PRODUCERS; p++) {
                for (int i = 0; i < EACH; i++) {
                    if (acks.get(p).get(i).get(30, TimeUnit.SECONDS)) {
                        acknowledged.add(p + "-" + i);
                    }
                }
            }
            double storedSeconds = (System.nanoTime() - start) / 1e9;
            EventSenderTest.await("every acknowledged event delivered", () -> received.containsAll(acknowledged));
            double deliveredSeconds = (System.nanoTime() - start) / 1e9;
            long fsyncs = meters.get("registry.events.commit").timer().count();
            System.out.printf("event load: %d events from %d producers stored in %.2f s (%.0f/s, %d fsyncs, %.0f events each),"
                            + " delivered in %.2f s (%d POSTs, %d duplicates)%n",
                    acknowledged.size(), PRODUCERS, storedSeconds, acknowledged.size() / storedSeconds, fsyncs,
                    (double) acknowledged.size() / fsyncs, deliveredSeconds, posts.get(), duplicates.get());
            assertEquals(PRODUCERS * EACH, acknowledged.size(), "no event is dropped");
            assertEquals(0, stats.droppedTotal());
            assertTrue(received.containsAll(acknowledged));
            EventSenderTest.await("the queue drained", () -> queue.size() == 0 && queue.bytes() == 0);
        } finally {
            sender.stop();
            writer.close();
            queue.close();
            io.shutdownNow();
            server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    /** For comparison (printed, not asserted): what one fsync per event manages on this disk. */
    @Test
    void oneFsyncPerEventForComparison() {
        EventQueue queue = new EventQueue(dir, true, 1L << 30, 64L << 20);
        NotificationEnvelope envelope = new NotificationEnvelope("http://127.0.0.1:5000", "node-1");
        int n = 1_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            queue.append(List.of(envelope.event(EventSenderTest.event("pull", "alice/app", "x" + i))));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("event load: one fsync per event: %d events in %.2f s (%.0f/s)%n", n, seconds, n / seconds);
        queue.close();
    }
}
