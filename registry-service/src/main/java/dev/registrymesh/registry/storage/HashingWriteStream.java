package dev.registrymesh.registry.storage;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * Passes bytes to another stream, hashing and counting them on the way. The JDK's digest (SHA-256 and SHA-512
 * with the CPU's SHA instructions where it has them) reads heap buffers in place and direct ones through a small
 * buffer of its own.
 */
public final class HashingWriteStream extends ForwardingWriteStream {
    private final MessageDigest digest;
    private long count;

    public HashingWriteStream(WriteStream<Buffer> delegate, MessageDigest digest) {
        super(delegate);
        this.digest = digest;
    }

    /** The digest of the bytes written so far (still running: finish a clone of it to read it). */
    public MessageDigest digest() {
        return digest;
    }

    /** Bytes written through this stream so far. */
    public long count() {
        return count;
    }

    private void update(Buffer data) {
        for (ByteBuffer part : data.getByteBuf().nioBuffers()) {
            digest.update(part);
        }
        count += data.length();
    }

    @Override
    public Future<Void> write(Buffer data) {
        update(data);
        return delegate.write(data);
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        update(data);
        delegate.write(data, handler);
    }

    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
        delegate.end(handler);
    }

    @Override
    public Future<Void> end() {
        return delegate.end();
    }
}
