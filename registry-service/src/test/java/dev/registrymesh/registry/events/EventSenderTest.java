package dev.registrymesh.registry.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registrymesh.common.Digest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The durable notifier against a real Vert.x HTTP server on loopback that is down at first and then comes up. */
class EventSenderTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Digest DIGEST = Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8));
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    @TempDir
    Path dir;
    Vertx vertx;
    ExecutorService io;
    HttpServer server;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        io = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        io.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static RegistryEvent event(String action, String repository, String tag) {
        return new RegistryEvent(action, repository, DIGEST, MANIFEST, 123, tag, "alice", "127.0.0.1", "PUT", "skopeo/1.0",
                Instant.parse("2024-05-01T10:00:00Z"));
    }

    /** What the fake index saw. */
    static final class Received {
        final Set<String> ids = ConcurrentHashMap.newKeySet();
        final List<String> contentTypes = new CopyOnWriteArrayList<>();
        final List<String> tokens = new CopyOnWriteArrayList<>();
        final AtomicInteger posts = new AtomicInteger();
    }

    /** An index that answers the first {@code failFirst} POSTs with 503 and the rest with 202. */
    HttpServer startIndex(int port, int failFirst, Received received) throws Exception {
        return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            int n = received.posts.incrementAndGet();
            received.contentTypes.add(String.valueOf(req.getHeader("Content-Type")));
            received.tokens.add(String.valueOf(req.getHeader(EventSender.TOKEN_HEADER)));
            if (n <= failFirst) {
                req.response().setStatusCode(503).end();
                return;
            }
            try {
                for (JsonNode e : JSON.readTree(body.getBytes()).get("events")) {
                    received.ids.add(e.get("id").asText());
                }
                req.response().setStatusCode(202).end();
            } catch (IOException e) {
                req.response().setStatusCode(400).end();
            }
        })).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void eventsWaitWhileTheIndexIsDownAndArriveOnceItIsUp() throws Exception {
        int port = freePort();
        EventQueue queue = queue(dir, true);
        NotificationEnvelope envelope = new NotificationEnvelope("http://127.0.0.1:5000", "node-1");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            byte[] json = envelope.event(event("push", "alice/app", "v" + i));
            ids.add(JSON.readTree(json).get("id").asText());
            queue.append(List.of(json));
        }
        EventSender sender = new EventSender(vertx, new EventQueueStats(queue), io, "http://127.0.0.1:" + port + "/internal/v1/events", "s3cret", 3,
                Duration.ofMillis(20), Duration.ofMillis(200));
        try {
            sender.start();
            Thread.sleep(600);
            assertEquals(7, queue.size(), "nothing may be dropped while the index is down");

            Received received = new Received();
            server = startIndex(port, 1, received);
            await("all events delivered", () -> queue.size() == 0);

            assertEquals(Set.copyOf(ids), received.ids);
            assertTrue(received.posts.get() >= 4, "3 batches after one refused POST: " + received.posts.get());
            assertTrue(received.contentTypes.stream().allMatch(NotificationEnvelope.MEDIA_TYPE::equals), received.contentTypes.toString());
            assertTrue(received.tokens.stream().allMatch("s3cret"::equals));
            assertEquals(0, queue.bytes(), "delivered events are removed");

            // Later events go straight out.
            queue.append(List.of(envelope.event(event("pull", "alice/app", "v1"))));
            sender.kick();
            await("the late event", () -> queue.size() == 0 && received.ids.size() == 8);
        } finally {
            sender.stop();
        }
    }

    @Test
    void anEventTheIndexRefusesIsSetAsideAndTheRestArrive() throws Exception {
        NotificationEnvelope envelope = new NotificationEnvelope("http://127.0.0.1:5000", "node-1");
        EventQueue queue = queue(dir, false);
        for (String repository : List.of("alice/a", "alice/poison", "alice/c")) {
            queue.append(List.of(envelope.event(event("push", repository, "1"))));
        }
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        int port = freePort();
        // An index that refuses, as malformed, every batch holding the poison event.
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            try {
                JsonNode events = JSON.readTree(body.getBytes()).get("events");
                for (JsonNode e : events) {
                    if (e.at("/target/repository").asText().equals("alice/poison")) {
                        req.response().setStatusCode(400).end();
                        return;
                    }
                }
                events.forEach(e -> delivered.add(e.at("/target/repository").asText()));
                req.response().setStatusCode(202).end();
            } catch (IOException e) {
                req.response().setStatusCode(500).end();
            }
        })).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        EventSender sender = new EventSender(vertx, new EventQueueStats(queue), io, "http://127.0.0.1:" + port + "/internal/v1/events", null, 100,
                Duration.ofMillis(20), Duration.ofMillis(200));
        try {
            sender.start();
            await("the queue drained", () -> queue.size() == 0);
            assertEquals(Set.of("alice/a", "alice/c"), delivered);
            try (var rejected = Files.list(dir.resolve("rejected"))) {
                assertEquals(1, rejected.count(), "the refused event is kept for inspection");
            }
        } finally {
            sender.stop();
        }
    }

    @Test
    void queuedEventsSurviveARestart() throws Exception {
        NotificationEnvelope envelope = new NotificationEnvelope("http://127.0.0.1:5000", "node-1");
        EventQueue before = queue(dir, true);
        before.append(List.of(envelope.event(event("push", "alice/a", "1")), envelope.event(event("push", "alice/b", "2"))));
        before.append(List.of(envelope.event(event("delete", "alice/c", null))));
        before.close();

        EventQueue after = queue(dir, true);
        assertEquals(3, after.size());
        EventQueue.Batch batch = after.peek(10);
        assertEquals(List.of("alice/a", "alice/b", "alice/c"),
                batch.events().stream().map(e -> readTarget(e).get("repository").asText()).toList());
        // New events come after the old ones.
        after.append(List.of(envelope.event(event("push", "alice/d", "4"))));
        assertEquals("alice/d", readTarget(after.peek(10).events().get(3)).get("repository").asText());

        Received received = new Received();
        int port = freePort();
        server = startIndex(port, 0, received);
        EventSender sender = new EventSender(vertx, new EventQueueStats(after), io, "http://127.0.0.1:" + port + "/internal/v1/events", null, 100,
                Duration.ofMillis(20), Duration.ofMillis(200));
        try {
            sender.start();
            await("the old events delivered", () -> after.size() == 0);
            assertEquals(4, received.ids.size());
            assertEquals("null", received.tokens.get(0), "no token header without a token");
        } finally {
            sender.stop();
        }
    }

    @Test
    void eventsFollowTheDistributionFormat() throws Exception {
        NotificationEnvelope envelope = new NotificationEnvelope("http://registry.local:5000/", "node-1");
        JsonNode e = JSON.readTree(envelope.event(event("push", "alice/app", "v1")));
        assertEquals("push", e.get("action").asText());
        assertEquals("2024-05-01T10:00:00Z", e.get("timestamp").asText());
        assertEquals(MANIFEST, e.at("/target/mediaType").asText());
        assertEquals(DIGEST.toString(), e.at("/target/digest").asText());
        assertEquals(123, e.at("/target/size").asLong());
        assertEquals(123, e.at("/target/length").asLong());
        assertEquals("alice/app", e.at("/target/repository").asText());
        assertEquals("v1", e.at("/target/tag").asText());
        assertEquals("http://registry.local:5000/v2/alice/app/manifests/" + DIGEST, e.at("/target/url").asText());
        assertEquals("PUT", e.at("/request/method").asText());
        assertEquals("skopeo/1.0", e.at("/request/useragent").asText());
        assertEquals("127.0.0.1", e.at("/request/addr").asText());
        assertEquals("registry.local:5000", e.at("/request/host").asText());
        assertEquals("alice", e.at("/actor/name").asText());
        assertEquals("node-1", e.at("/source/instanceID").asText());
        assertFalse(e.get("id").asText().isEmpty());
        JsonNode env = JSON.readTree(NotificationEnvelope.envelope(List.of(envelope.event(event("pull", "a/b", null)),
                envelope.event(event("pull", "a/c", null)))).getBytes());
        assertEquals(2, env.get("events").size());
    }

    @ParameterizedTest
    @CsvSource({"1,500", "2,1000", "3,2000", "6,16000", "7,30000", "8,30000", "1000,30000"})
    void backoffDoublesUpToTheCap(int failures, long expected) {
        assertEquals(expected, EventSender.backoffMillis(failures, Duration.ofMillis(500), Duration.ofSeconds(30)));
    }

    static EventQueue queue(Path dir, boolean fsync) {
        return new EventQueue(dir, fsync, 1L << 30, 64L << 20);
    }

    private static JsonNode readTarget(byte[] e) {
        try {
            return JSON.readTree(e).get("target");
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
