package dev.registrymesh.registry.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registrymesh.common.Digest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written event JSON: whatever a client puts in the fields it controls comes back unchanged. */
class NotificationEnvelopeTest {
    private static final Digest DIGEST = EventSenderTest.DIGEST;

    @ParameterizedTest
    @ValueSource(strings = {"plain/1.0", "quote \" and backslash \\", "CR\r LF\n TAB\t", "\u0000\u0001\u001f\u007f",
        "non-ASCII: é ü 中文 😀", "json-looking\",\"actor\":{\"name\":\"root\"}", "</script>", "\\u0041", ""})
    void clientControlledFieldsRoundTrip(String hostile) throws Exception {
        NotificationEnvelope envelope = new NotificationEnvelope("http://reg\"istry:5000", "node \"1\"");
        RegistryEvent event = new RegistryEvent("pull", "alice/app", DIGEST, hostile, 7, null, hostile, hostile,
                "GET", hostile, Instant.parse("2024-05-01T10:00:00.123456789Z"));
        JsonNode e = EventSenderTest.JSON.readTree(envelope.event(event));
        assertEquals(hostile, e.at("/target/mediaType").asText());
        assertEquals(hostile, e.at("/request/useragent").asText());
        assertEquals(hostile, e.at("/request/addr").asText());
        assertEquals(hostile, e.at("/actor/name").asText());
        assertEquals("reg\"istry:5000", e.at("/request/host").asText());
        assertEquals("reg\"istry:5000", e.at("/source/addr").asText());
        assertEquals("node \"1\"", e.at("/source/instanceID").asText());
        assertEquals("2024-05-01T10:00:00.123456789Z", e.get("timestamp").asText());
        assertEquals("http://reg\"istry:5000/v2/alice/app/blobs/" + DIGEST, e.at("/target/url").asText());
        assertEquals(List.of("id", "timestamp", "action", "target", "request", "actor", "source"), names(e));
        assertEquals(List.of("mediaType", "size", "digest", "length", "repository", "url"), names(e.get("target")));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void absentFieldsAreNullOrLeftOut() throws Exception {
        NotificationEnvelope envelope = new NotificationEnvelope("http://registry:5000/", "node-1");
        RegistryEvent event = new RegistryEvent("delete", "alice/app", null, null, 0, null, null, null, "DELETE", null,
                Instant.parse("2024-05-01T10:00:00Z"));
        JsonNode e = EventSenderTest.JSON.readTree(envelope.event(event));
        assertTrue(e.at("/target/mediaType").isNull());
        assertTrue(e.at("/target/digest").isMissingNode());
        assertTrue(e.at("/target/url").isMissingNode());
        assertTrue(e.at("/target/tag").isMissingNode());
        assertTrue(e.at("/request/useragent").isNull());
        assertEquals(0, e.get("actor").size());
        assertEquals("registry:5000", e.at("/request/host").asText());
        assertNotEquals(e.get("id").asText(), e.at("/request/id").asText());
    }
}
