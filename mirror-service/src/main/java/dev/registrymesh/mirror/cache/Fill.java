package dev.registrymesh.mirror.cache;

import dev.registrymesh.common.Digest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClientResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * One download of one digest into the cache: the source's bytes go to a temp file, hashed on the way, and
 * the file is committed only when the size and digest match. Readers ({@link TailSender}) follow the download
 * as it arrives, so the first byte reaches clients while the rest is still coming, any number of clients
 * share one download, and a client that hangs up does not stop it.
 *
 * <p>The last {@link #LIVE_WINDOW} bytes received stay in memory as they came, so readers that keep up take
 * them from there without a round trip through the disk; readers that fall behind read the file, whose
 * {@link #written()} prefix they may trust. Writes are serialized (one positional write in flight, later bytes
 * gathered meanwhile); bytes beyond {@link #MAX_PENDING} not yet written pause the source: back-pressure from
 * the disk, never from a client.
 */
public final class Fill {
    private static final int MAX_PENDING = 1 << 20;
    /**
     * Bytes received while a write is in flight are written together, joined into one buffer of at most this size:
     * large sequential writes, yet no buffer so big that the collector must place it as a humongous object (half a
     * 1 MiB region), which the doubling buffer past 1 MiB that was here before was: the main garbage cost of a
     * cold pull in the profile.
     */
    private static final int WRITE_BUFFER = 256 * 1024;
    static final int LIVE_WINDOW = 1 << 20;
    private static final java.util.regex.Pattern CONTENT_RANGE = java.util.regex.Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    /** Received bytes at {@code offset}; Vert.x buffers are never released, so readers may share them. */
    private record Chunk(long offset, Buffer data) {
        long end() {
            return offset + data.length();
        }
    }

    private final Digest digest;
    private final Path temp;
    private final ContentStore store;
    private final Vertx vertx;
    private final MessageDigest hash;
    private final Promise<Long> ready = Promise.promise();
    private final Promise<Void> done = Promise.promise();
    private final List<Runnable> listeners = new ArrayList<>();
    private volatile long written;
    /** Guarded by {@code listeners}: the newest received chunks, oldest first, and the bytes received in all. */
    private final java.util.ArrayDeque<Chunk> live = new java.util.ArrayDeque<>();
    private long liveBytes;
    /** Bytes received so far: readers may have {@code [0, available)}, from {@link #live} or the file. */
    private volatile long available;
    private volatile boolean finished;
    private volatile long expectedSize = -1;

    // Only touched on the source's context.
    private HttpClientResponse source;
    private AsyncFile out;
    private long received;
    private final java.util.ArrayDeque<Buffer> pending = new java.util.ArrayDeque<>();
    private long pendingBytes;
    private boolean writing;
    private boolean ended;
    private boolean paused;
    private Rest rest;

    /**
     * Where the rest of the content comes from when a source breaks off mid-body (a peer that died, a dropped
     * upstream connection): a {@code 206} answer for the bytes from {@code offset}. Asked once per fill.
     */
    public interface Rest {
        Future<HttpClientResponse> from(long offset);
    }

    public Fill(Vertx vertx, ContentStore store, Digest digest) throws IOException {
        this.vertx = vertx;
        this.store = store;
        this.digest = digest;
        this.temp = store.newTempFile();
        this.hash = digest.algorithm().newMessageDigest();
    }

    public Digest digest() {
        return digest;
    }

    public Path tempFile() {
        return temp;
    }

    /** Completes with the content length (-1 when the source did not say) once bytes may be read. */
    public Future<Long> ready() {
        return ready.future();
    }

    /** Completes when the content is committed; fails when it never will be. */
    public Future<Void> done() {
        return done.future();
    }

    public long written() {
        return written;
    }

    /**
     * Up to {@code max} received bytes from {@code position} while they are still in memory; null when
     * they are not (not received yet, or older than the live window: then they are in the file).
     */
    public Buffer live(long position, int max) {
        synchronized (listeners) {
            for (Chunk chunk : live) {
                if (position >= chunk.offset() && position < chunk.end()) {
                    int from = (int) (position - chunk.offset());
                    return chunk.data().slice(from, Math.min(chunk.data().length(), from + max));
                }
            }
            return null;
        }
    }

    public long expectedSize() {
        return expectedSize;
    }

    public boolean isFinished() {
        return finished;
    }

    /** Runs {@code listener} once more than {@code position} bytes are available or the fill has finished. */
    public void whenBeyond(long position, Runnable listener) {
        synchronized (listeners) {
            if (available <= position && !finished) {
                listeners.add(listener);
                return;
            }
        }
        listener.run();
    }

    /** Starts copying a paused 200 response with the content; {@code rest} (may be null) resumes a broken one. */
    public void start(HttpClientResponse response, Rest rest) {
        this.source = response;
        this.rest = rest;
        String length = response.getHeader("Content-Length");
        if (length != null) {
            try {
                expectedSize = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                expectedSize = -1;
            }
        }
        // The body waits (paused) until the file is open; a source that breaks off meanwhile is noticed here.
        Throwable[] brokeEarly = new Throwable[1];
        response.exceptionHandler(e -> brokeEarly[0] = e);
        vertx.fileSystem().open(temp.toString(), new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true))
                .onFailure(this::fail)
                .onSuccess(file -> {
                    out = file;
                    ready.tryComplete(expectedSize);
                    if (brokeEarly[0] != null || !attach(response)) {
                        sourceBroke(brokeEarly[0] != null ? brokeEarly[0] : new IOException("the source closed before its body was read"));
                        return;
                    }
                    response.resume();
                });
    }

    /** Reads the body of {@code response} from now on; false when it has already ended (broken off). */
    private boolean attach(HttpClientResponse response) {
        source = response;
        try {
            response.handler(this::onData);
        } catch (IllegalStateException ended) {
            return false;
        }
        response.exceptionHandler(this::sourceBroke);
        response.endHandler(v -> {
            if (expectedSize >= 0 && received < expectedSize && rest != null) {
                sourceBroke(new IOException("the source ended after " + received + " of " + expectedSize + " bytes"));
                return;
            }
            ended = true;
            if (!writing) {
                finish();
            }
        });
        return true;
    }

    /**
     * The source broke off: go on from the bytes received with the rest from elsewhere when the total length is
     * known and a {@link Rest} was given; otherwise give up. Runs on the source's context, so the rest's
     * answer arrives there too.
     */
    private void sourceBroke(Throwable cause) {
        Rest next = rest;
        rest = null;
        if (finished || next == null || expectedSize < 0 || received >= expectedSize) {
            fail(cause);
            return;
        }
        try {
            source.handler(null);
            source.endHandler(null);
            source.exceptionHandler(e -> { });
        } catch (IllegalStateException ended) {
            // nothing more will come from it anyway
        }
        long offset = received;
        next.from(offset).onComplete(ar -> {
            if (ar.failed()) {
                fail(cause);
            } else if (finished || !continuesAt(ar.result(), offset)) {
                ar.result().request().reset();
                fail(cause);
            } else if (!attach(ar.result())) {
                fail(cause);
            } else if (!paused) {
                ar.result().resume();
            }
        });
    }

    /** A 206 whose Content-Range starts at {@code offset} and runs to the end of the content. */
    private boolean continuesAt(HttpClientResponse response, long offset) {
        String range = response.getHeader("Content-Range");
        if (response.statusCode() != 206 || range == null) {
            return false;
        }
        java.util.regex.Matcher m = CONTENT_RANGE.matcher(range.trim());
        return m.matches() && Long.parseLong(m.group(1)) == offset && Long.parseLong(m.group(2)) == expectedSize - 1
                && (m.group(3).equals("*") || Long.parseLong(m.group(3)) == expectedSize);
    }

    /** Gives up: the temp file is removed and readers are told. Safe to call more than once. */
    public void fail(Throwable cause) {
        if (finished) {
            return;
        }
        finished = true;
        releaseLive();
        ready.tryFail(cause);
        if (source != null) {
            try {
                source.handler(null);
                source.endHandler(null);
                source.request().reset();
            } catch (RuntimeException ignored) {
                // already ended or closed
            }
        }
        Future<Void> closed = out == null ? Future.succeededFuture() : out.close();
        closed.onComplete(r -> vertx.fileSystem().delete(temp.toString()).onComplete(d -> {
            done.tryFail(cause);
            notifyListeners();
        }));
    }

    private void onData(Buffer data) {
        if (finished) {
            return;
        }
        for (ByteBuffer part : data.getByteBuf().nioBuffers()) {
            hash.update(part);
        }
        long offset = received;
        received += data.length();
        if (expectedSize >= 0 && received > expectedSize) {
            fail(new IOException("the source sent more than its Content-Length of " + expectedSize));
            return;
        }
        synchronized (listeners) {
            live.addLast(new Chunk(offset, data));
            liveBytes += data.length();
            dropOldLiveChunks();
            available = received;
        }
        notifyListeners();
        gather(data);
        if (!writing) {
            flush();
        } else if (pendingBytes >= MAX_PENDING && !paused) {
            paused = true;
            source.pause();
        }
    }

    private void gather(Buffer data) {
        pending.addLast(data);
        pendingBytes += data.length();
    }

    /**
     * The next write: the oldest received buffers, joined up to {@link #WRITE_BUFFER}. Always a copy: the received
     * buffers are also in the live window, where readers hand them to their sockets, which release them.
     */
    private Buffer nextWrite() {
        Buffer first = pending.pollFirst();
        int size = first.length();
        int count = 1;
        for (Buffer b : pending) {
            if (size + b.length() > WRITE_BUFFER) {
                break;
            }
            size += b.length();
            count++;
        }
        Buffer joined = Buffer.buffer(size).appendBuffer(first);
        for (int i = 1; i < count; i++) {
            joined.appendBuffer(pending.pollFirst());
        }
        return joined;
    }

    private void flush() {
        if (finished) {
            return;
        }
        if (pending.isEmpty()) {
            writing = false;
            if (ended) {
                finish();
            }
            return;
        }
        Buffer chunk = nextWrite();
        pendingBytes -= chunk.length();
        writing = true;
        if (paused) {
            paused = false;
            source.resume();
        }
        out.write(chunk, written).onFailure(this::fail).onSuccess(v -> {
            synchronized (listeners) {
                written += chunk.length();
                dropOldLiveChunks();
            }
            notifyListeners();
            flush();
        });
    }

    private void finish() {
        if (finished) {
            return;
        }
        if (expectedSize >= 0 && received != expectedSize) {
            fail(new IOException("truncated: " + received + " of " + expectedSize + " bytes"));
            return;
        }
        Digest actual = Digest.of(digest.algorithm(), hash.digest());
        if (!actual.equals(digest)) {
            fail(new IOException("digest mismatch: the source sent " + actual + " for " + digest));
            return;
        }
        out.close().compose(v -> vertx.<Void>executeBlocking(() -> {
            store.commit(temp, digest);
            return null;
        }, false)).onFailure(this::fail).onSuccess(v -> {
            if (expectedSize < 0) {
                expectedSize = received;
            }
            finished = true;
            releaseLive(); // the committed file has every byte now
            done.tryComplete();
            notifyListeners();
        });
    }

    /** Beyond the window, the oldest chunks go, but only once they are on disk for the readers behind. */
    private void dropOldLiveChunks() {
        while (liveBytes > LIVE_WINDOW && !live.isEmpty() && live.peekFirst().end() <= written && live.size() > 1) {
            liveBytes -= live.removeFirst().data().length();
        }
    }

    private void releaseLive() {
        synchronized (listeners) {
            live.clear();
            liveBytes = 0;
        }
    }

    private void notifyListeners() {
        List<Runnable> toRun;
        synchronized (listeners) {
            if (listeners.isEmpty()) {
                return; // the common case, once per received chunk
            }
            toRun = new ArrayList<>(listeners);
            listeners.clear();
        }
        toRun.forEach(Runnable::run);
    }

    /** The file to read the bytes from: the temp file while filling, the committed one afterwards. */
    public Path readablePath() {
        return Files.exists(temp) ? temp : store.path(digest);
    }
}
