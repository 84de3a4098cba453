package dev.registrymesh.registry.events;

import dev.registrymesh.common.MediaTypes;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The CNCF Distribution notification format: each event as Distribution writes it, and the
 * {@code {"events":[...]}} envelope that carries a batch of them.
 */
public final class NotificationEnvelope {
    public static final String MEDIA_TYPE = "application/vnd.docker.distribution.events.v1+json";
    private static final byte[] OPEN = "{\"events\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "]}".getBytes(StandardCharsets.US_ASCII);

    private final String registryUrl;
    /** {@code request.host}, as a JSON string: the same in every event. */
    private final String quotedSourceAddr;
    /** The {@code source} member, the same in every event. */
    private final String sourceMember;

    /**
     * @param registryUrl how clients reach this registry (for {@code target.url} and {@code request.host})
     * @param instanceId  this process's id, as {@code source.instanceID}
     */
    public NotificationEnvelope(String registryUrl, String instanceId) {
        this.registryUrl = registryUrl.endsWith("/") ? registryUrl.substring(0, registryUrl.length() - 1) : registryUrl;
        String sourceAddr = this.registryUrl.replaceFirst("^[a-z]+://", "");
        StringBuilder host = new StringBuilder();
        string(host, sourceAddr);
        this.quotedSourceAddr = host.toString();
        StringBuilder source = new StringBuilder(",\"source\":{\"addr\":").append(quotedSourceAddr).append(",\"instanceID\":");
        string(source, instanceId);
        this.sourceMember = source.append('}').toString();
    }

    /**
     * One event, with a fresh id: the receiver deduplicates redeliveries by it. Written by hand into one
     * StringBuilder (what never changes, precomputed): under load every pull is an event, and a JSON generator per
     * event was the writer thread's largest cost (profile in README, Benchmarks).
     */
    public byte[] event(RegistryEvent e) {
        StringBuilder j = new StringBuilder(640);
        j.append("{\"id\":\"").append(randomId());
        j.append("\",\"timestamp\":\"").append(e.timestamp()); // Instant.toString() is ISO-8601 in UTC
        j.append("\",\"action\":");
        string(j, e.action());
        j.append(",\"target\":{\"mediaType\":");
        string(j, e.mediaType());
        j.append(",\"size\":").append(e.size());
        if (e.digest() != null) {
            j.append(",\"digest\":");
            string(j, e.digest().toString());
        }
        j.append(",\"length\":").append(e.size());
        j.append(",\"repository\":");
        string(j, e.repository());
        if (e.digest() != null) {
            boolean manifest = e.tag() != null || (e.mediaType() != null && MediaTypes.isManifest(e.mediaType()));
            j.append(",\"url\":");
            string(j, registryUrl + "/v2/" + e.repository() + (manifest ? "/manifests/" : "/blobs/") + e.digest());
        }
        if (e.tag() != null) {
            j.append(",\"tag\":");
            string(j, e.tag());
        }
        j.append("},\"request\":{\"id\":\"").append(randomId()).append("\",\"addr\":");
        string(j, e.remoteAddr());
        j.append(",\"host\":").append(quotedSourceAddr).append(",\"method\":");
        string(j, e.method());
        j.append(",\"useragent\":");
        string(j, e.userAgent());
        j.append("},\"actor\":{");
        if (e.actor() != null) {
            j.append("\"name\":");
            string(j, e.actor());
        }
        j.append('}').append(sourceMember).append('}');
        return j.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@code s} as a JSON string (RFC 8259 escapes), or {@code null}. */
    static void string(StringBuilder j, String s) {
        if (s == null) {
            j.append("null");
            return;
        }
        j.append('"');
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            j.append(s, from, i);
            from = i + 1;
            switch (c) {
                case '"' -> j.append("\\\"");
                case '\\' -> j.append("\\\\");
                case '\n' -> j.append("\\n");
                case '\r' -> j.append("\\r");
                case '\t' -> j.append("\\t");
                default -> j.append(String.format("\\u%04x", (int) c));
            }
        }
        j.append(s, from, s.length()).append('"');
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
