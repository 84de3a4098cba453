package dev.registrymesh.registry.storage;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * Gathers the small buffers a socket delivers into writes of {@code size} bytes, so that a file gets one write
 * (one hand-off to the file's thread pool, one system call) per gathered buffer instead of one per received
 * buffer. Holds at most one buffer of {@code size} bytes beyond the delegate's write queue. A gathered write's
 * failure fails the write that sent it, or {@link #end()}.
 */
public final class GatheringWriteStream extends ForwardingWriteStream {
    private final int size;
    private Buffer gathered;

    public GatheringWriteStream(WriteStream<Buffer> delegate, int size) {
        super(delegate);
        this.size = size;
    }

    @Override
    public Future<Void> write(Buffer data) {
        if (gathered == null) {
            if (data.length() >= size) {
                return delegate.write(data);
            }
            gathered = Buffer.buffer(size);
        }
        gathered.appendBuffer(data);
        if (gathered.length() < size) {
            return Future.succeededFuture();
        }
        Buffer out = gathered;
        gathered = null;
        return delegate.write(out);
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        Future<Void> written = write(data);
        if (handler != null) {
            written.onComplete(handler);
        }
    }

    @Override
    public Future<Void> end() {
        if (gathered == null || gathered.length() == 0) {
            return delegate.end();
        }
        Buffer out = gathered;
        gathered = null;
        // the delegate is ended (closed) whether the last write worked or not; its failure comes first
        return delegate.write(out).transform(written -> delegate.end().transform(ended -> written.failed()
                ? Future.<Void>failedFuture(written.cause()) : ended.failed() ? Future.<Void>failedFuture(ended.cause()) : Future.<Void>succeededFuture()));
    }

    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
        Future<Void> ended = end();
        if (handler != null) {
            ended.onComplete(handler);
        }
    }
}
