package dev.registrymesh.registry.blob;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.registry.lifecycle.Admission;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.HashingWriteStream;
import dev.registrymesh.registry.storage.RepositoryStore;
import dev.registrymesh.registry.storage.StorageLayout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Blob uploads: sessions that live on disk (and so survive a restart), chunks streamed to the session's
 * file while their digest is computed, and the final verify-and-commit into the {@link BlobStore}.
 * Request bodies are piped with back-pressure; nothing holds a whole blob in memory.
 */
public class UploadService {
    private static final Pattern UUID_FORMAT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final OpenOptions APPEND = new OpenOptions().setWrite(true).setAppend(true).setCreate(false);
    /**
     * How many bytes of one upload may wait for the disk before the socket is paused. Vert.x's default
     * (128 KiB) pauses the client every few writes; 1 MiB keeps the disk busy while memory stays bounded.
     */
    private static final int WRITE_QUEUE_BYTES = 1024 * 1024;
    private static final OpenOptions CREATE = new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true);

    private final Vertx vertx;
    private final StorageLayout layout;
    private final BlobStore blobs;
    private final RepositoryStore repositories;
    private final Admission admission;
    /** The running digest of each active session; rebuilt from its file after a restart. */
    private final Map<String, HashState> states = new ConcurrentHashMap<>();

    /** Running digest and size of one session; {@code busy} keeps two requests from writing it at once. */
    private static final class HashState {
        MessageDigest digest;
        long size;
        boolean busy;

        HashState(MessageDigest digest, long size) {
            this.digest = digest;
            this.size = size;
        }
    }

    public UploadService(Vertx vertx, StorageLayout layout, BlobStore blobs, RepositoryStore repositories) {
        this(vertx, layout, blobs, repositories, Admission.NONE);
    }

    public UploadService(Vertx vertx, StorageLayout layout, BlobStore blobs, RepositoryStore repositories, Admission admission) {
        this.vertx = vertx;
        this.layout = layout;
        this.blobs = blobs;
        this.repositories = repositories;
        this.admission = admission;
    }

    /** Commits verified bytes and links them, through the admission (quota, collection barrier). */
    private void commitAndLink(Path verified, String repository, Digest digest, long size) {
        admission.write(repository, List.of(digest), Map.of(digest, size), () -> {
            try {
                blobs.commit(verified, digest);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            repositories.linkBlob(repository, digest);
            return null;
        });
    }

    public Future<Upload> start(String repository, Digest.Algorithm algorithm) {
        return blocking(() -> {
            admission.checkNewContent(repository);
            Upload upload = new Upload(UUID.randomUUID().toString(), repository, algorithm);
            Path dir = layout.upload(upload.uuid());
            Files.createDirectories(dir);
            Files.write(dir.resolve("data"), new byte[0]);
            Files.writeString(dir.resolve("session"), repository + "\n" + algorithm.id());
            states.put(upload.uuid(), new HashState(algorithm.newMessageDigest(), 0));
            return upload;
        });
    }

    /** The session {@code uuid} of {@code repository}, or BLOB_UPLOAD_UNKNOWN. */
    public Future<Upload> find(String repository, String uuid) {
        return blocking(() -> {
            OciException unknown = new OciException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry", Map.of("uuid", uuid));
            if (!UUID_FORMAT.matcher(uuid).matches()) {
                throw unknown;
            }
            try {
                String[] session = Files.readString(layout.upload(uuid).resolve("session")).split("\n");
                if (session.length != 2 || !session[0].equals(repository)) {
                    throw unknown;
                }
                return new Upload(uuid, repository, Digest.Algorithm.of(session[1]));
            } catch (NoSuchFileException e) {
                throw unknown;
            }
        });
    }

    /** How many bytes the session holds. */
    public Future<Long> size(Upload upload) {
        HashState state = states.get(upload.uuid());
        if (state != null && !state.busy) {
            return Future.succeededFuture(state.size);
        }
        return blocking(() -> Files.size(data(upload)));
    }

    /**
     * Appends a chunk. {@code offset} is where the client says the chunk starts (-1 in stream mode, where it
     * just follows), {@code length} the length it announced (-1 when unknown). A chunk that does not start
     * at the end of the upload is refused before a byte is written; one shorter or longer than announced is
     * rolled back.
     */
    public Future<Long> append(Upload upload, ReadStream<Buffer> body, long offset, long length) {
        return acquire(upload).compose(state -> {
            if (offset >= 0 && offset != state.size) {
                release(state);
                return Future.failedFuture(new UploadOutOfOrderException(state.size,
                        "chunk starts at " + offset + " but the upload holds " + state.size + " bytes"));
            }
            long before = state.size;
            MessageDigest checkpoint = cloneOf(state.digest);
            return vertx.fileSystem().open(data(upload).toString(), APPEND)
                    .compose(file -> {
                        HashingWriteStream sink = new HashingWriteStream(file.setWriteQueueMaxSize(WRITE_QUEUE_BYTES), state.digest);
                        return body.pipeTo(sink).map(v -> sink.count());
                    })
                    .compose(written -> {
                        if (length >= 0 && written != length) {
                            return rollback(upload, state, before, checkpoint).compose(v -> Future.failedFuture(
                                    new OciException(ErrorCode.SIZE_INVALID, "chunk length " + written + " does not match the announced " + length)));
                        }
                        state.size = before + written;
                        release(state);
                        return Future.succeededFuture(state.size);
                    }, failure -> {
                        // The client went away mid-chunk: what reached the disk stays (the client can ask for
                        // the offset and resume); the digest is rebuilt from the file on the next request.
                        states.remove(upload.uuid());
                        return Future.failedFuture(failure);
                    });
        });
    }

    /**
     * Closes the upload: appends the last chunk when there is one, checks the digest, and commits the blob
     * into the store and the repository. A wrong digest discards the upload: nothing is kept.
     */
    public Future<Committed> complete(Upload upload, ReadStream<Buffer> lastChunk, long offset, long length, Digest expected) {
        Future<Long> appended = lastChunk == null ? Future.succeededFuture(0L) : append(upload, lastChunk, offset, length);
        return appended.compose(size -> acquire(upload)).compose(state -> blocking(() -> {
            try {
                Digest actual = expected.algorithm() == upload.algorithm()
                        ? Digest.of(upload.algorithm(), state.digest.digest())
                        : hashFile(data(upload), expected.algorithm());
                if (!actual.equals(expected)) {
                    throw new OciException(ErrorCode.DIGEST_INVALID, "provided digest did not match uploaded content",
                            Map.of("expected", expected.toString(), "actual", actual.toString()));
                }
                commitAndLink(data(upload), upload.repository(), expected, state.size);
                return new Committed(expected, state.size);
            } finally {
                discard(upload);
            }
        }));
    }

    public Future<Void> cancel(Upload upload) {
        return blocking(() -> {
            discard(upload);
            return null;
        });
    }

    /** A whole blob in one request ({@code POST ?digest=}): streamed to a temp file, verified, committed. */
    public Future<Committed> putMonolithic(String repository, ReadStream<Buffer> body, Digest expected) {
        return blocking(blobs::newTempFile).compose(temp -> vertx.fileSystem().open(temp.toString(), CREATE)
                .compose(file -> {
                    HashingWriteStream sink = new HashingWriteStream(file.setWriteQueueMaxSize(WRITE_QUEUE_BYTES),
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
                        commitAndLink(temp, repository, expected, sink.count());
                    } finally {
                        Files.deleteIfExists(temp); // refused by the quota: nothing is kept
                    }
                    return new Committed(expected, sink.count());
                }), failure -> blocking(() -> {
                    Files.deleteIfExists(temp);
                    throw failure instanceof Exception e ? e : new IOException(failure);
                })));
    }

    private Future<HashState> acquire(Upload upload) {
        HashState known = states.get(upload.uuid());
        if (known != null) {
            synchronized (known) {
                if (known.busy) {
                    return Future.failedFuture(new OciException(ErrorCode.BLOB_UPLOAD_INVALID,
                            "another request is writing this upload", Map.of("uuid", upload.uuid())));
                }
                known.busy = true;
                return Future.succeededFuture(known);
            }
        }
        // After a restart (or a broken chunk) the digest is rebuilt from the bytes on disk.
        return blocking(() -> {
            HashState rebuilt = new HashState(upload.algorithm().newMessageDigest(), 0);
            try (InputStream in = Files.newInputStream(data(upload))) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    rebuilt.digest.update(buffer, 0, n);
                    rebuilt.size += n;
                }
            } catch (NoSuchFileException e) {
                throw new OciException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry", Map.of("uuid", upload.uuid()));
            }
            rebuilt.busy = true;
            HashState raced = states.putIfAbsent(upload.uuid(), rebuilt);
            if (raced != null) {
                throw new OciException(ErrorCode.BLOB_UPLOAD_INVALID, "another request is writing this upload", Map.of("uuid", upload.uuid()));
            }
            return rebuilt;
        });
    }

    private static void release(HashState state) {
        synchronized (state) {
            state.busy = false;
        }
    }

    private Future<Void> rollback(Upload upload, HashState state, long size, MessageDigest checkpoint) {
        return blocking(() -> {
            try (FileChannel channel = FileChannel.open(data(upload), StandardOpenOption.WRITE)) {
                channel.truncate(size);
            }
            state.digest = checkpoint;
            state.size = size;
            release(state);
            return null;
        });
    }

    private void discard(Upload upload) throws IOException {
        states.remove(upload.uuid());
        Path dir = layout.upload(upload.uuid());
        Files.deleteIfExists(dir.resolve("data"));
        Files.deleteIfExists(dir.resolve("session"));
        Files.deleteIfExists(dir);
    }

    private Path data(Upload upload) {
        return layout.upload(upload.uuid()).resolve("data");
    }

    private static Digest hashFile(Path file, Digest.Algorithm algorithm) throws IOException {
        MessageDigest digest = algorithm.newMessageDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return Digest.of(algorithm, digest.digest());
    }

    private static MessageDigest cloneOf(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA digests are cloneable", e);
        }
    }

    /** Runs filesystem work on a worker thread. */
    private <T> Future<T> blocking(Callable<T> call) {
        return vertx.executeBlocking(call, false);
    }
}
