package dev.registrymesh.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ServersTest {

    @Test
    void freePortsAreDistinctAndNotTheDefaults() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            int port = FreePort.find();
            assertTrue(ports.add(port), "handed out twice: " + port);
            assertTrue(port > 0 && port != 6379 && (port < 5000 || port > 5003));
        }
    }

    @Test
    void redisStartsAnswersAndStops() {
        RedisServer redis = RedisServer.start();
        try {
            assertNotEquals(6379, redis.port());
            assertTrue(redis.ping());
            assertEquals("redis://127.0.0.1:" + redis.port(), redis.url());
        } finally {
            redis.stop();
        }
        assertFalse(redis.ping());
        assertFalse(listening(redis.port()));
        redis.stop(); // idempotent
    }

    @Test
    void distributionStartsAnswersAndStops() {
        assumeTrue(DistributionRegistry.available(), "docker-registry is not installed");
        DistributionRegistry registry = DistributionRegistry.builder().start();
        try {
            assertEquals(200, ChildProcess.httpStatus(registry.url() + "/v2/"));
            assertEquals("127.0.0.1:" + registry.port(), registry.hostPort());
        } finally {
            registry.close();
        }
        assertFalse(listening(registry.port()));
        assertTrue(ChildProcess.read(registry.logFile()).contains("listening on"));
    }

    @Test
    void missingServiceJarIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ServiceProcess.builder("no-such-service").start());
        assertTrue(e.getMessage().contains("no-such-service"), e.getMessage());
        assertTrue(e.getMessage().contains("package"), e.getMessage());
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
