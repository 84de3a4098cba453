package dev.registrymesh.registry.blob;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.registry.lifecycle.Admission;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.HashingWriteStream;
import dev.registrymesh.registry.storage.RepositoryStore;
import dev.registrymesh.registry.storage.ResumableDigest;
import dev.registrymesh.registry.storage.UploadSession;
import dev.registrymesh.registry.storage.UploadStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
 * node takes any request of a session), chunks are streamed to the store's local target while their digest
 * is computed, and the running digest state is saved with the session after each chunk. The final PUT checks
 * the digest before the blob becomes visible. Request bodies are piped with back-pressure; nothing holds a
 * whole blob in memory.
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
                    ResumableDigest.start(algorithm).state(), Instant.now(), null));
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
            UploadSession session = load(upload);
            if (offset >= 0 && offset != session.size()) {
                throw new UploadOutOfOrderException(session.size(),
                        "chunk starts at " + offset + " but the upload holds " + session.size() + " bytes");
            }
            return session;
        }).compose(session -> blocking(() -> store.chunkTarget(session)).compose(target -> {
            ResumableDigest digest = ResumableDigest.resume(session.algorithm(), session.digestState());
            return vertx.fileSystem().open(target.file().toString(), target.append() ? APPEND : CREATE)
                    .compose(file -> {
                        HashingWriteStream sink = new HashingWriteStream(file.setWriteQueueMaxSize(WRITE_QUEUE_BYTES), digest);
                        return body.pipeTo(sink).map(v -> sink.count());
                    })
                    .compose(written -> blocking(() -> {
                        if (length >= 0 && written != length) {
                            store.discardChunk(session, target);
                            throw new OciException(ErrorCode.SIZE_INVALID,
                                    "chunk length " + written + " does not match the announced " + length);
                        }
                        return store.appendChunk(session, target, written, digest.state());
                    }), failure -> blocking(() -> {
                        store.discardChunk(session, target);
                        throw failure instanceof Exception e ? e : new IOException(failure);
                    }));
        }));
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
            return appended.compose(session -> blocking(() -> {
                Digest actual = expected.algorithm() == session.algorithm()
                        ? ResumableDigest.resume(session.algorithm(), session.digestState()).finish()
                        : store.rehash(session, expected.algorithm());
                if (!actual.equals(expected)) {
                    store.delete(session);
                    throw new OciException(ErrorCode.DIGEST_INVALID, "provided digest did not match uploaded content",
                            Map.of("expected", expected.toString(), "actual", actual.toString()));
                }
                try {
                    commitAndLink(upload.repository(), expected, session.size(), () -> store.commit(session, expected));
                } catch (OciException refused) {
                    store.delete(session); // refused (quota): nothing of it is kept
                    throw refused;
                }
                return new Committed(expected, session.size());
            }));
        });
    }

    public Future<Void> cancel(Upload upload) {
        return blocking(() -> {
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
                    HashingWriteStream sink = new HashingWriteStream(file.setWriteQueueMaxSize(WRITE_QUEUE_BYTES),
                            ResumableDigest.start(expected.algorithm()));
                    return body.pipeTo(sink).map(v -> sink);
                })
                .compose(sink -> blocking(() -> {
                    Digest actual = sink.digest().finish();
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
