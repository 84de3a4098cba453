package dev.registrymesh.registry.storage;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * A stream that writes into another: flow control (write queue, drain) and errors are the other stream's.
 * Subclasses decide what a write and the end do on the way.
 */
public abstract class ForwardingWriteStream implements WriteStream<Buffer> {
    protected final WriteStream<Buffer> delegate;

    protected ForwardingWriteStream(WriteStream<Buffer> delegate) {
        this.delegate = delegate;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        delegate.exceptionHandler(handler);
        return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        delegate.setWriteQueueMaxSize(maxSize);
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return delegate.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        delegate.drainHandler(handler);
        return this;
    }
}
