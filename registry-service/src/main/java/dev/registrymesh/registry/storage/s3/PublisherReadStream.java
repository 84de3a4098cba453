package dev.registrymesh.registry.storage.s3;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * An S3 response body (a Reactive Streams publisher, fed by the SDK's Netty threads) as a Vert.x read stream
 * with back-pressure: one buffer is requested from S3 at a time, and only while the reader wants more, so
 * a slow client holds at most a buffer or two in memory whatever the blob's size. Every handler runs on the
 * Vert.x context that opened the stream. Starts paused.
 */
final class PublisherReadStream implements ReadStream<Buffer>, Subscriber<ByteBuffer>, AutoCloseable {
    private final Context context;
    private final Deque<Buffer> queue = new ArrayDeque<>();
    private Subscription subscription;
    private long demand;
    private boolean requested;
    private boolean completed;
    private boolean cancelled;
    private Throwable failure;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;

    PublisherReadStream(Context context, Publisher<ByteBuffer> publisher) {
        this.context = context;
        publisher.subscribe(this);
    }

    @Override
    public void onSubscribe(Subscription s) {
        context.runOnContext(v -> {
            subscription = s;
            if (cancelled) {
                s.cancel();
            }
            drain();
        });
    }

    @Override
    public void onNext(ByteBuffer bytes) {
        // Copied: the SDK may reuse its buffer once onNext returns.
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        context.runOnContext(v -> {
            requested = false;
            queue.add(Buffer.buffer(copy));
            drain();
        });
    }

    @Override
    public void onError(Throwable t) {
        context.runOnContext(v -> {
            failure = t;
            drain();
        });
    }

    @Override
    public void onComplete() {
        context.runOnContext(v -> {
            completed = true;
            drain();
        });
    }

    /** Stops reading from S3 (the client went away), so the connection goes back to the pool. */
    @Override
    public void close() {
        context.runOnContext(v -> {
            cancelled = true;
            queue.clear();
            if (subscription != null) {
                subscription.cancel();
            }
        });
    }

    private void drain() {
        if (cancelled) {
            return;
        }
        while (demand > 0 && !queue.isEmpty()) {
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            Buffer next = queue.poll();
            if (handler != null) {
                handler.handle(next);
            }
        }
        if (!queue.isEmpty()) {
            return;
        }
        if (failure != null) {
            Throwable t = failure;
            failure = null;
            cancelled = true;
            if (exceptionHandler != null) {
                exceptionHandler.handle(t);
            }
            return;
        }
        if (completed) {
            cancelled = true;
            if (endHandler != null) {
                endHandler.handle(null);
            }
            return;
        }
        if (demand > 0 && !requested && subscription != null) {
            requested = true;
            subscription.request(1);
        }
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        this.handler = handler;
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        demand = 0;
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        if (amount > 0) {
            demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
            context.runOnContext(v -> drain());
        }
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        this.endHandler = endHandler;
        return this;
    }
}
