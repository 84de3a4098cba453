package dev.registrymesh.registry.storage.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registrymesh.common.Digest;
import dev.registrymesh.registry.storage.UploadSession;
import dev.registrymesh.registry.storage.UploadStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Upload sessions in the bucket, so that any node takes any request of a session (layout: {@link S3Layout}).
 *
 * <p>Each chunk is first streamed to a local spool file (S3 needs a part's length before its first byte,
 * and stream-mode PATCHes have none), then: while fewer than {@link S3Settings#partSize()} bytes are gathered,
 * it is stored as an object of its own ({@code chunks/<offset>}); once enough are gathered, the pending chunk
 * objects and the new chunk go into the next part of the session's multipart upload (created at that moment
 * at {@code uploads/<uuid>/data}) and the chunk objects are deleted. The session object, rewritten after each
 * chunk, holds the size, the digest of the bytes so far, the multipart upload id and its parts. Every object is
 * named by its position (offset, part number), so a retried chunk overwrites what a failed attempt left.
 *
 * <p>Reading the bytes back ({@link #readTo}, when a node must rebuild a session's running digest): the chunk
 * objects are read as they are; the parts of a multipart upload cannot be read before it is completed, so it is
 * completed at {@code data} (with the pending chunks as its last part) and {@code data} is read. The session
 * then says {@code completed}; the next chunk reopens it: a new multipart upload at {@code data} whose first
 * parts are UploadPartCopy of the completed {@code data} (server side, at most 5 GiB a part), recorded in the
 * session only once they are all there, so that a crash meanwhile loses nothing.
 *
 * <p>Closing: a blob smaller than a part is put at its blob key from the chunk objects; a larger one gets
 * its last (possibly small) part, the multipart upload is completed at {@code data} and copied to the blob key.
 * Either way the blob appears whole, after the digest was verified. Two uploads of one blob both succeed: the
 * second finds the blob there and just drops its bytes.
 */
public class S3UploadStore implements UploadStore {
    private static final Logger LOG = Logger.getLogger(S3UploadStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final S3Storage s3;
    private final S3Layout layout;
    private final Path localTemp;

    /** What the s3 driver keeps with a session: its multipart upload, if started, and the chunks not in a part yet. */
    record MultipartState(String uploadId, boolean completed, List<Part> parts, List<Pending> pending) {
        static final MultipartState EMPTY = new MultipartState(null, false, List.of(), List.of());

        long pendingBytes() {
            return pending.stream().mapToLong(Pending::size).sum();
        }
    }

    record Part(int number, String etag, long size) {
    }

    record Pending(long offset, long size) {
    }

    public S3UploadStore(S3Storage s3, Path localTemp) {
        this.s3 = s3;
        this.layout = s3.layout();
        this.localTemp = localTemp;
    }

    private static MultipartState state(UploadSession session) {
        return session.driverState() instanceof MultipartState m ? m : MultipartState.EMPTY;
    }

    @Override
    public void create(UploadSession session) {
        save(session);
    }

    private void save(UploadSession session) {
        MultipartState m = state(session);
        Map<String, Object> doc = new HashMap<>();
        doc.put("repository", session.repository());
        doc.put("algorithm", session.algorithm().id());
        doc.put("size", session.size());
        // "digest", not the "digestState" (a Bouncy Castle state) of older releases
        doc.put("digest", session.digest() == null ? null : session.digest().toString());
        doc.put("startedAt", session.startedAt().toEpochMilli());
        doc.put("uploadId", m.uploadId());
        doc.put("completed", m.completed());
        doc.put("parts", m.parts().stream().map(p -> Map.of("number", p.number(), "etag", p.etag(), "size", p.size())).toList());
        doc.put("pending", m.pending().stream().map(p -> Map.of("offset", p.offset(), "size", p.size())).toList());
        try {
            s3.put(layout.uploadSession(session.uuid()), JSON.writeValueAsBytes(doc));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public UploadSession load(String uuid) throws IOException {
        byte[] bytes = s3.bytes(layout.uploadSession(uuid));
        if (bytes == null) {
            return null;
        }
        var doc = JSON.readTree(bytes);
        List<Part> parts = new ArrayList<>();
        doc.path("parts").forEach(p -> parts.add(new Part(p.path("number").asInt(), p.path("etag").asText(), p.path("size").asLong())));
        List<Pending> pending = new ArrayList<>();
        doc.path("pending").forEach(p -> pending.add(new Pending(p.path("offset").asLong(), p.path("size").asLong())));
        String uploadId = doc.path("uploadId").isTextual() ? doc.path("uploadId").asText() : null;
        // A session of an older release has "digestState" instead: its digest is unknown, rebuilt when needed.
        Digest digest = doc.path("digest").isTextual() && Digest.isValid(doc.path("digest").asText())
                ? Digest.parse(doc.path("digest").asText()) : null;
        return new UploadSession(uuid, doc.path("repository").asText(), Digest.Algorithm.of(doc.path("algorithm").asText()),
                doc.path("size").asLong(), digest,
                Instant.ofEpochMilli(doc.path("startedAt").asLong()),
                new MultipartState(uploadId, doc.path("completed").asBoolean(), List.copyOf(parts), List.copyOf(pending)));
    }

    @Override
    public ChunkTarget chunkTarget(UploadSession session) throws IOException {
        Files.createDirectories(localTemp);
        return new ChunkTarget(Files.createTempFile(localTemp, "chunk-", ".part"), false);
    }

    @Override
    public UploadSession appendChunk(UploadSession session, ChunkTarget target, long length, Digest digest) throws IOException {
        try {
            if (length == 0) {
                return session;
            }
            MultipartState m = state(session);
            if (m.completed()) {
                m = reopen(session, m);
            }
            UploadSession next;
            if (m.pendingBytes() + length < s3.settings().partSize()) {
                s3.put(layout.uploadChunk(session.uuid(), session.size()), target.file(), length);
                List<Pending> pending = new ArrayList<>(m.pending());
                pending.add(new Pending(session.size(), length));
                next = session.withProgress(session.size() + length, digest,
                        new MultipartState(m.uploadId(), false, m.parts(), List.copyOf(pending)));
                save(next);
            } else {
                MultipartState withPart = addPart(session, m, target.file(), length);
                next = session.withProgress(session.size() + length, digest, withPart);
                save(next);
                deletePending(session.uuid(), m.pending());
            }
            return next;
        } finally {
            Files.deleteIfExists(target.file());
        }
    }

    /** Uploads the pending chunk objects plus {@code file} (may be null) as the next part. */
    private MultipartState addPart(UploadSession session, MultipartState m, Path file, long fileLength) throws IOException {
        String uploadId = m.uploadId();
        if (uploadId == null) {
            uploadId = s3.createMultipart(layout.uploadData(session.uuid()));
            // Saved at once, so that the janitor can abort it if this node dies before the part is recorded.
            save(session.withProgress(session.size(), session.digest(), new MultipartState(uploadId, false, m.parts(), m.pending())));
        }
        int number = m.parts().size() + 1;
        long length = m.pendingBytes() + fileLength;
        String etag;
        try (InputStream body = concat(session.uuid(), m.pending(), file)) {
            etag = s3.uploadPart(layout.uploadData(session.uuid()), uploadId, number, body, length);
        }
        List<Part> parts = new ArrayList<>(m.parts());
        parts.add(new Part(number, etag, length));
        return new MultipartState(uploadId, false, List.copyOf(parts), List.of());
    }

    /** The pending chunk objects, in order, then the local file: one stream, read lazily. */
    private InputStream concat(String uuid, List<Pending> pending, Path file) throws IOException {
        List<java.util.function.Supplier<InputStream>> sources = new ArrayList<>();
        for (Pending p : pending) {
            sources.add(() -> s3.stream(layout.uploadChunk(uuid, p.offset())));
        }
        if (file != null) {
            sources.add(() -> {
                try {
                    return Files.newInputStream(file);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        Iterator<java.util.function.Supplier<InputStream>> next = sources.iterator();
        return new SequenceInputStream(new Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return next.hasNext();
            }

            @Override
            public InputStream nextElement() {
                return next.next().get();
            }
        });
    }

    private void deletePending(String uuid, List<Pending> pending) {
        s3.deleteAll(pending.stream().map(p -> layout.uploadChunk(uuid, p.offset())).toList());
    }

    @Override
    public void discardChunk(UploadSession session, ChunkTarget target) throws IOException {
        Files.deleteIfExists(target.file());
    }

    /**
     * Puts every byte of the session in one place: the chunk objects when there is no multipart upload (the
     * blob is smaller than a part), else the completed multipart upload at {@code data}.
     */
    private UploadSession seal(UploadSession session) throws IOException {
        MultipartState m = state(session);
        if (m.uploadId() == null || m.completed()) {
            return session;
        }
        MultipartState last = m.pending().isEmpty() ? m : addPart(session, m, null, 0);
        s3.completeMultipart(layout.uploadData(session.uuid()), last.uploadId(), last.parts().stream()
                .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build()).toList());
        UploadSession sealed = session.withProgress(session.size(), session.digest(),
                new MultipartState(last.uploadId(), true, last.parts(), List.of()));
        save(sealed);
        deletePending(session.uuid(), m.pending());
        return sealed;
    }

    @Override
    public void commit(UploadSession session, Digest digest) throws IOException {
        UploadSession current = load(session.uuid());
        if (current == null) {
            throw new IOException("upload session " + session.uuid() + " vanished");
        }
        String blob = layout.blob(digest);
        if (s3.size(blob) < 0) {
            UploadSession sealed = seal(current);
            MultipartState m = state(sealed);
            if (m.uploadId() == null) {
                try (InputStream body = concat(sealed.uuid(), m.pending(), null)) {
                    s3.put(blob, body, sealed.size());
                }
            } else {
                s3.copy(layout.uploadData(sealed.uuid()), blob);
            }
        }
        delete(load(session.uuid()));
    }

    @Override
    public UploadSession readTo(UploadSession session, OutputStream out) throws IOException {
        MultipartState m = state(session);
        if (m.uploadId() == null) {
            try (InputStream in = concat(session.uuid(), m.pending(), null)) {
                copy(in, out);
            }
            return session;
        }
        UploadSession sealed = seal(session);
        try (InputStream in = s3.stream(layout.uploadData(sealed.uuid()))) {
            copy(in, out);
        }
        return sealed;
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
        }
    }

    /** Largest part UploadPartCopy takes. */
    private static final long MAX_COPY_PART = 5L * 1024 * 1024 * 1024;

    /**
     * A new multipart upload at {@code data} that starts with the bytes of the completed one (copied server side),
     * for a session whose bytes were read back and that gets another chunk. The stored session still names the
     * completed {@code data} until the caller saves the returned state with the chunk.
     */
    private MultipartState reopen(UploadSession session, MultipartState m) {
        String key = layout.uploadData(session.uuid());
        long size = session.size();
        String uploadId = s3.createMultipart(key);
        try {
            int pieces = (int) ((size + MAX_COPY_PART - 1) / MAX_COPY_PART);
            long piece = (size + pieces - 1) / pieces;
            List<Part> parts = new ArrayList<>();
            for (long first = 0; first < size; first += piece) {
                long last = Math.min(size, first + piece) - 1;
                int number = parts.size() + 1;
                parts.add(new Part(number, s3.uploadPartCopy(key, first, last, key, uploadId, number), last - first + 1));
            }
            return new MultipartState(uploadId, false, List.copyOf(parts), List.of());
        } catch (RuntimeException e) {
            s3.abortMultipart(key, uploadId);
            throw e;
        }
    }

    @Override
    public void delete(UploadSession session) {
        if (session == null) {
            return;
        }
        MultipartState m = state(session);
        if (m.uploadId() != null && !m.completed()) {
            s3.abortMultipart(layout.uploadData(session.uuid()), m.uploadId());
        }
        deleteObjects(session.uuid());
    }

    private void deleteObjects(String uuid) {
        // The session object last, so that a crash half-way leaves a session the janitor finds again.
        List<String> keys = new ArrayList<>(s3.list(layout.upload(uuid), false).objects().stream().map(S3Object::key).toList());
        String sessionKey = layout.uploadSession(uuid);
        keys.remove(sessionKey);
        s3.deleteAll(keys);
        s3.deleteAll(List.of(sessionKey));
    }

    /**
     * Sessions whose newest object is older than {@code cutoff} (the session object is rewritten after each
     * chunk), with their multipart uploads; then multipart uploads below uploads/ that no session knows.
     */
    @Override
    public int purge(Instant cutoff) throws IOException {
        Map<String, Instant> newest = new HashMap<>();
        for (S3Object object : s3.list(layout.uploads(), false).objects()) {
            String rest = object.key().substring(layout.uploads().length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                newest.merge(rest.substring(0, slash), object.lastModified(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        int removed = 0;
        java.util.Set<String> live = new java.util.HashSet<>();
        for (Map.Entry<String, Instant> entry : newest.entrySet()) {
            if (!entry.getValue().isBefore(cutoff)) {
                live.add(layout.uploadData(entry.getKey()));
            } else {
                UploadSession session = load(entry.getKey());
                if (session != null) {
                    delete(session);
                } else {
                    deleteObjects(entry.getKey());
                }
                removed++;
            }
        }
        try {
            for (MultipartUpload orphan : s3.multipartUploads(layout.uploads(), cutoff)) {
                if (!live.contains(orphan.key())) {
                    s3.abortMultipart(orphan.key(), orphan.uploadId());
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "cannot list multipart uploads; orphans are left to the bucket's lifecycle rules");
        }
        return removed;
    }
}
