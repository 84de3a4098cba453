package dev.registrymesh.registry.blob;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.registry.lifecycle.Admission;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.GatheringWriteStream;
import dev.registrymesh.registry.storage.HashingWriteStream;
import dev.registrymesh.registry.storage.RepositoryStore;
import dev.registrymesh.registry.storage.UploadSession;
import dev.registrymesh.registry.storage.UploadStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Blob uploads, whatever the storage driver: sessions live in the {@link UploadStore} (shared storage, so any
 * node takes any request of a session), chunks are streamed to the store's local target while the JDK's
 * {@link MessageDigest} hashes them, and the digest of the bytes so far is saved with the session after each
 * chunk, so that the closing PUT, on whichever node, checks it before the blob becomes visible without reading
 * the bytes again. The running digest itself cannot be saved: the node that took a chunk keeps it in memory
 * ({@link LiveDigests}), and a chunk that reaches a node without it (another node took the previous chunk, or
 * this one restarted) first has it rebuilt from the session's stored bytes ({@link UploadStore#readTo}). The
 * clients' common flow (POST, one streamed PATCH, PUT without a body) never rebuilds; chunked uploads spread
 * over several nodes re-read what earlier nodes stored. Request bodies are piped with back-pressure; nothing
 * holds a whole blob in memory.
 */
public class UploadService {
    private static final Pattern UUID_FORMAT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /**
     * How many bytes of one upload may wait for the disk before the socket is paused. Vert.x's default
     * (128 KiB) pauses the client every few writes; 1 MiB keeps the disk busy while memory stays bounded.
     */
    private static final int WRITE_QUEUE_BYTES = 1024 * 1024;
    private static final OpenOptions APPEND = new OpenOptions().setWrite(true).setAppend(true).setCreate(false);
    private static final OpenOptions CREATE = new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true);

    /** Bytes gathered into one file write (received buffers are 8-64 KiB). */
    private static final int GATHER_BYTES = 256 * 1024;

    private static io.vertx.core.streams.WriteStream<Buffer> gathering(io.vertx.core.file.AsyncFile file) {
        return new GatheringWriteStream(file.setWriteQueueMaxSize(WRITE_QUEUE_BYTES), GATHER_BYTES);
    }

    private final Vertx vertx;
    private final UploadStore store;
    private final BlobStore blobs;
    private final RepositoryStore repositories;
    private final Admission admission;
    /**
     * Sessions a request of this node is writing: a second request for one of them is refused. Only a guard
     * for one node; clients send the requests of a session one after the other.
     */
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final LiveDigests live = new LiveDigests();

    public UploadService(Vertx vertx, UploadStore store, BlobStore blobs, RepositoryStore repositories) {
        this(vertx, store, blobs, repositories, Admission.NONE);
    }

    public UploadService(Vertx vertx, UploadStore store, BlobStore blobs, RepositoryStore repositories, Admission admission) {
        this.vertx = vertx;
        this.store = store;
        this.blobs = blobs;
        this.repositories = repositories;
        this.admission = admission;
    }

    /** Makes a verified blob part of the repository, through the admission (quota, collection barrier). */
    private void commitAndLink(String repository, Digest digest, long size, IoAction commit) {
        admission.write(repository, List.of(digest), Map.of(digest, size), () -> {
            try {
                commit.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            repositories.linkBlob(repository, digest);
            return null;
        });
    }

    private interface IoAction {
        void run() throws IOException;
    }

    public Future<Upload> start(String repository, Digest.Algorithm algorithm) {
        return blocking(() -> {
            admission.checkNewContent(repository);
            Upload upload = new Upload(UUID.randomUUID().toString(), repository, algorithm);
            store.create(new UploadSession(upload.uuid(), repository, algorithm, 0,
                    Digest.of(algorithm, algorithm.newMessageDigest().digest()), Instant.now(), null));
            return upload;
        });
    }

    /** The session {@code uuid} of {@code repository}, or BLOB_UPLOAD_UNKNOWN. */
    public Future<Upload> find(String repository, String uuid) {
        return blocking(() -> {
            UploadSession session = UUID_FORMAT.matcher(uuid).matches() ? store.load(uuid) : null;
            if (session == null || !session.repository().equals(repository)) {
                throw unknown(uuid);
            }
            return new Upload(uuid, repository, session.algorithm());
        });
    }

    /** How many bytes the session holds. */
    public Future<Long> size(Upload upload) {
        return blocking(() -> load(upload).size());
    }

    /**
     * Appends a chunk. {@code offset} is where the client says the chunk starts (-1 in stream mode, where it
     * just follows), {@code length} the length it announced (-1 when unknown). A chunk that does not start
     * at the end of the upload is refused before a byte is written; one shorter or longer than announced, or
     * broken off, is dropped whole: the session stays where it was and the client may send it again.
     */
    public Future<Long> append(Upload upload, ReadStream<Buffer> body, long offset, long length) {
        return exclusive(upload, () -> appendLocked(upload, body, offset, length).map(UploadSession::size));
    }

    private Future<UploadSession> appendLocked(Upload upload, ReadStream<Buffer> body, long offset, long length) {
        return blocking(() -> {
            UploadSession loaded = load(upload);
            if (offset >= 0 && offset != loaded.size()) {
                throw new UploadOutOfOrderException(loaded.size(),
                        "chunk starts at " + offset + " but the upload holds " + loaded.size() + " bytes");
            }
            return running(loaded);
        }).compose(running -> {
            UploadSession session = running.session();
            MessageDigest digest = running.digest();
            return blocking(() -> store.chunkTarget(session)).compose(target -> vertx.fileSystem()
                    .open(target.file().toString(), target.append() ? APPEND : CREATE)
                    .compose(file -> {
                        HashingWriteStream sink = new HashingWriteStream(gathering(file), digest);
                        return body.pipeTo(sink).map(v -> sink.count());
                    })
                    .compose(written -> blocking(() -> {
                        if (length >= 0 && written != length) {
                            store.discardChunk(session, target);
                            throw new OciException(ErrorCode.SIZE_INVALID,
                                    "chunk length " + written + " does not match the announced " + length);
                        }
                        UploadSession next = store.appendChunk(session, target, written,
                                LiveDigests.peek(session.algorithm(), digest));
                        live.put(next.uuid(), next.algorithm(), next.size(), digest);
                        return next;
                    }), failure -> blocking(() -> {
                        store.discardChunk(session, target);
                        throw failure instanceof Exception e ? e : new IOException(failure);
                    })));
        });
    }

    /** A session as stored and the running digest of its bytes, ready for the next chunk. */
    private record Running(UploadSession session, MessageDigest digest) {
    }

    /**
     * The running digest of the session's bytes: this node's own copy when it took the session's last chunk, else
     * rebuilt by reading the bytes back from the store and checked against the digest stored with the session.
     * Blocking.
     */
    private Running running(UploadSession session) throws IOException {
        MessageDigest digest = live.copyOf(session);
        if (digest != null) {
            return new Running(session, digest);
        }
        digest = session.algorithm().newMessageDigest();
        if (session.size() == 0) {
            return new Running(session, digest);
        }
        DigestSink sink = new DigestSink(digest);
        UploadSession after = store.readTo(session, sink);
        if (sink.count != session.size()) {
            throw new IOException("upload " + session.uuid() + " holds " + sink.count + " bytes in storage, its session "
                    + session.size());
        }
        if (session.digest() != null && !LiveDigests.peek(session.algorithm(), digest).equals(session.digest())) {
            throw new IOException("the stored bytes of upload " + session.uuid() + " do not match the digest recorded with them");
        }
        return new Running(after, digest);
    }

    /** Hashes and counts what is written to it. */
    private static final class DigestSink extends OutputStream {
        private final MessageDigest digest;
        private long count;

        DigestSink(MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void write(int b) {
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
            count += len;
        }
    }

    /**
     * Closes the upload: appends the last chunk when there is one, checks the digest, and commits the blob
     * into the store and the repository. A wrong digest discards the upload: nothing is kept.
     */
    public Future<Committed> complete(Upload upload, ReadStream<Buffer> lastChunk, long offset, long length, Digest expected) {
        return exclusive(upload, () -> {
            Future<UploadSession> appended = lastChunk == null
                    ? blocking(() -> load(upload))
                    : appendLocked(upload, lastChunk, offset, length);
            return appended.compose(stored -> blocking(() -> {
                live.forget(upload.uuid());
                UploadSession session = stored;
                Digest actual;
                if (expected.algorithm() == session.algorithm() && session.digest() != null) {
                    actual = session.digest();
                } else {
                    // another algorithm than the session's (rare: a sha512 PUT on a sha256 session), or a session
                    // of an older release: hashed from the stored bytes
                    DigestSink sink = new DigestSink(expected.algorithm().newMessageDigest());
                    session = store.readTo(session, sink);
                    actual = Digest.of(expected.algorithm(), sink.digest.digest());
                }
                if (!actual.equals(expected)) {
                    store.delete(session);
                    throw new OciException(ErrorCode.DIGEST_INVALID, "provided digest did not match uploaded content",
                            Map.of("expected", expected.toString(), "actual", actual.toString()));
                }
                UploadSession verified = session;
                try {
                    commitAndLink(upload.repository(), expected, verified.size(), () -> store.commit(verified, expected));
                } catch (OciException refused) {
                    store.delete(verified); // refused (quota): nothing of it is kept
                    throw refused;
                }
                return new Committed(expected, verified.size());
            }));
        });
    }

    public Future<Void> cancel(Upload upload) {
        return blocking(() -> {
            live.forget(upload.uuid());
            UploadSession session = store.load(upload.uuid());
            if (session != null) {
                store.delete(session);
            }
            return null;
        });
    }

    /** A whole blob in one request ({@code POST ?digest=}): streamed to a temp file, verified, committed. */
    public Future<Committed> putMonolithic(String repository, ReadStream<Buffer> body, Digest expected) {
        return blocking(blobs::newTempFile).compose(temp -> vertx.fileSystem().open(temp.toString(), CREATE)
                .compose(file -> {
                    HashingWriteStream sink = new HashingWriteStream(gathering(file),
                            expected.algorithm().newMessageDigest());
                    return body.pipeTo(sink).map(v -> sink);
                })
                .compose(sink -> blocking(() -> {
                    Digest actual = Digest.of(expected.algorithm(), sink.digest().digest());
                    if (!actual.equals(expected)) {
                        Files.deleteIfExists(temp);
                        throw new OciException(ErrorCode.DIGEST_INVALID, "provided digest did not match uploaded content",
                                Map.of("expected", expected.toString(), "actual", actual.toString()));
                    }
                    try {
                        commitAndLink(repository, expected, sink.count(), () -> blobs.commit(temp, expected));
                    } finally {
                        Files.deleteIfExists(temp); // committed (moved), or refused by the quota: nothing is kept
                    }
                    return new Committed(expected, sink.count());
                }), failure -> blocking(() -> {
                    Files.deleteIfExists(temp);
                    throw failure instanceof Exception e ? e : new IOException(failure);
                })));
    }

    private UploadSession load(Upload upload) throws IOException {
        UploadSession session = store.load(upload.uuid());
        if (session == null) {
            throw unknown(upload.uuid());
        }
        return session;
    }

    /** Runs {@code work} while no other request of this node writes the session. */
    private <T> Future<T> exclusive(Upload upload, Supplier<Future<T>> work) {
        if (!busy.add(upload.uuid())) {
            return Future.failedFuture(new OciException(ErrorCode.BLOB_UPLOAD_INVALID,
                    "another request is writing this upload", Map.of("uuid", upload.uuid())));
        }
        Future<T> result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        return result.transform(done -> {
            busy.remove(upload.uuid());
            return done.succeeded() ? Future.succeededFuture(done.result()) : Future.failedFuture(done.cause());
        });
    }

    private static OciException unknown(String uuid) {
        return new OciException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry", Map.of("uuid", uuid));
    }

    /** Runs storage work on a worker thread. */
    private <T> Future<T> blocking(Callable<T> call) {
        return vertx.executeBlocking(call, false);
    }
}
