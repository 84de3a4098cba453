package dev.registrymesh.registry.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * The CNCF Distribution notification format: each event as Distribution writes it, and the
 * {@code {"events":[...]}} envelope that carries a batch of them.
 */
public final class NotificationEnvelope {
    public static final String MEDIA_TYPE = "application/vnd.docker.distribution.events.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String registryUrl;
    private final String sourceAddr;
    private final String instanceId;

    /**
     * @param registryUrl how clients reach this registry (for {@code target.url} and {@code request.host})
     * @param instanceId  this process's id, as {@code source.instanceID}
     */
    public NotificationEnvelope(String registryUrl, String instanceId) {
        this.registryUrl = registryUrl.endsWith("/") ? registryUrl.substring(0, registryUrl.length() - 1) : registryUrl;
        this.sourceAddr = this.registryUrl.replaceFirst("^[a-z]+://", "");
        this.instanceId = instanceId;
    }

    /** One event, with a fresh id: the receiver deduplicates redeliveries by it. */
    public byte[] event(RegistryEvent e) {
        ObjectNode event = JSON.createObjectNode();
        event.put("id", UUID.randomUUID().toString());
        event.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(e.timestamp()));
        event.put("action", e.action());
        ObjectNode target = event.putObject("target");
        target.put("mediaType", e.mediaType());
        target.put("size", e.size());
        if (e.digest() != null) {
            target.put("digest", e.digest().toString());
        }
        target.put("length", e.size());
        target.put("repository", e.repository());
        if (e.digest() != null) {
            boolean manifest = e.tag() != null || (e.mediaType() != null && dev.registrymesh.common.MediaTypes.isManifest(e.mediaType()));
            target.put("url", registryUrl + "/v2/" + e.repository() + (manifest ? "/manifests/" : "/blobs/") + e.digest());
        }
        if (e.tag() != null) {
            target.put("tag", e.tag());
        }
        ObjectNode request = event.putObject("request");
        request.put("id", UUID.randomUUID().toString());
        request.put("addr", e.remoteAddr());
        request.put("host", sourceAddr);
        request.put("method", e.method());
        request.put("useragent", e.userAgent());
        ObjectNode actor = event.putObject("actor");
        if (e.actor() != null) {
            actor.put("name", e.actor());
        }
        ObjectNode source = event.putObject("source");
        source.put("addr", sourceAddr);
        source.put("instanceID", instanceId);
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The envelope around already serialized events. */
    public static byte[] envelope(List<EventQueue.Entry> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"events\":[".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(events.get(i).json());
        }
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
