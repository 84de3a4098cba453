package dev.registrymesh.registry.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The CNCF Distribution notification format: each event as Distribution writes it, and the
 * {@code {"events":[...]}} envelope that carries a batch of them.
 */
public final class NotificationEnvelope {
    public static final String MEDIA_TYPE = "application/vnd.docker.distribution.events.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] OPEN = "{\"events\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "]}".getBytes(StandardCharsets.US_ASCII);

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

    /**
     * One event, with a fresh id: the receiver deduplicates redeliveries by it. Written with Jackson's streaming
     * generator (no tree), on the queue's writer thread rather than on the event loop.
     */
    public byte[] event(RegistryEvent e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(640);
        try (JsonGenerator g = JSON.getFactory().createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("id", randomId());
            g.writeStringField("timestamp", DateTimeFormatter.ISO_INSTANT.format(e.timestamp()));
            g.writeStringField("action", e.action());
            g.writeObjectFieldStart("target");
            g.writeStringField("mediaType", e.mediaType());
            g.writeNumberField("size", e.size());
            if (e.digest() != null) {
                g.writeStringField("digest", e.digest().toString());
            }
            g.writeNumberField("length", e.size());
            g.writeStringField("repository", e.repository());
            if (e.digest() != null) {
                boolean manifest = e.tag() != null || (e.mediaType() != null && dev.registrymesh.common.MediaTypes.isManifest(e.mediaType()));
                g.writeStringField("url", registryUrl + "/v2/" + e.repository() + (manifest ? "/manifests/" : "/blobs/") + e.digest());
            }
            if (e.tag() != null) {
                g.writeStringField("tag", e.tag());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("request");
            g.writeStringField("id", randomId());
            g.writeStringField("addr", e.remoteAddr());
            g.writeStringField("host", sourceAddr);
            g.writeStringField("method", e.method());
            g.writeStringField("useragent", e.userAgent());
            g.writeEndObject();
            g.writeObjectFieldStart("actor");
            if (e.actor() != null) {
                g.writeStringField("name", e.actor());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("source");
            g.writeStringField("addr", sourceAddr);
            g.writeStringField("instanceID", instanceId);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    /**
     * A random (version 4) UUID from a thread-local generator: {@link UUID#randomUUID()} draws on one shared
     * SecureRandom, and ids only need to be unique, not unguessable.
     */
    static String randomId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    /** The envelope around already serialized events. */
    public static Buffer envelope(List<byte[]> events) {
        int size = 13 + events.size();
        for (byte[] e : events) {
            size += e.length;
        }
        Buffer out = Buffer.buffer(size);
        out.appendBytes(OPEN);
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out.appendByte((byte) ',');
            }
            out.appendBytes(events.get(i));
        }
        out.appendBytes(CLOSE);
        return out;
    }
}
