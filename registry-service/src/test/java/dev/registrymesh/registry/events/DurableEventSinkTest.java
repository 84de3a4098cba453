package dev.registrymesh.registry.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sink as the registry gets it by injection: it replaces the discarding default and delivers to the configured URL. */
@QuarkusTest
@TestProfile(DurableEventSinkTest.Profile.class)
class DurableEventSinkTest {
    static final int PORT = freePort();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mesh.notifications.enabled", "true",
                    "mesh.index-url", "http://127.0.0.1:" + PORT,
                    "mesh.internal-token", "t0ken",
                    "mesh.notifications.backoff-initial", "20ms",
                    "mesh.notifications.backoff-max", "200ms",
                    "mesh.data-dir", "target/test-data/events-" + System.nanoTime());
        }
    }

    @Inject
    RegistryEventSink sink;
    @Inject
    Vertx vertx;

    static int freePort() {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void publishedEventsReachTheIndex() throws Exception {
        assertInstanceOf(DurableEventSink.class, io.quarkus.arc.ClientProxy.unwrap(sink));
        sink.publish(EventSenderTest.event("push", "alice/app", "v1"));

        List<JsonNode> received = new CopyOnWriteArrayList<>();
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            paths.add(req.path() + " " + req.getHeader(EventSender.TOKEN_HEADER));
            try {
                new ObjectMapper().readTree(body.getBytes()).get("events").forEach(received::add);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            req.response().setStatusCode(200).end();
        })).listen(PORT, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        try {
            EventSenderTest.await("the event", () -> received.size() == 1);
            assertEquals("alice/app", received.get(0).at("/target/repository").asText());
            assertEquals("/internal/v1/events t0ken", paths.get(0));

            // The queue's state is in readiness and in the metrics.
            io.restassured.RestAssured.get(dev.registrymesh.testkit.Management.url("/q/health/ready")).then().statusCode(200)
                    .body("checks.find { it.name == 'registry-events' }.status", org.hamcrest.Matchers.equalTo("UP"))
                    .body("checks.find { it.name == 'registry-events' }.data.state", org.hamcrest.Matchers.equalTo("ok"))
                    .body("checks.find { it.name == 'registry-events' }.data.maxBytes", org.hamcrest.Matchers.equalTo(1073741824));
            EventSenderTest.await("the delivery counted", () -> io.restassured.RestAssured.get(dev.registrymesh.testkit.Management.url("/q/metrics")).asString()
                    .contains("registry_events_delivered_total 1.0"));
            String metrics = io.restassured.RestAssured.get(dev.registrymesh.testkit.Management.url("/q/metrics")).asString();
            for (String name : List.of("registry_events_queue_bytes ", "registry_events_queue_events ", "registry_events_written_total ",
                    "registry_events_dropped_total{reason=\"full\"}", "registry_events_queue_full ")) {
                org.junit.jupiter.api.Assertions.assertTrue(metrics.contains(name), name);
            }
        } finally {
            server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }
}
