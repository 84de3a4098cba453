package dev.registrymesh.mirror.cache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerResponse;

/**
 * Sends the bytes of a {@link Fill} to one HTTP response as they land in its file, at the pace of the
 * client (back-pressure via the response's write queue). The response's headers must be set; this ends it
 * when the fill commits, or resets it when the fill fails (the client sees a truncated body, never wrong
 * bytes presented as complete).
 */
public final class TailSender {
    private static final int CHUNK = 64 * 1024;

    private final Fill fill;
    private final HttpServerResponse response;
    private final Context context;
    private final Promise<Long> result = Promise.promise();
    private AsyncFile in;
    private long position;
    private boolean closed;

    private TailSender(Fill fill, HttpServerResponse response, Context context) {
        this.fill = fill;
        this.response = response;
        this.context = context;
    }

    /**
     * Streams {@code fill} to {@code response}; completes with the bytes sent. Call it on the response's own
     * context (the request's event loop): its write queue and drain events are only coherent there.
     */
    public static Future<Long> send(Vertx vertx, Fill fill, HttpServerResponse response) {
        TailSender sender = new TailSender(fill, response, vertx.getOrCreateContext());
        response.closeHandler(v -> sender.stop(new java.io.IOException("client closed the connection")));
        vertx.fileSystem().open(fill.readablePath().toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
                .onFailure(sender::stop)
                .onSuccess(file -> {
                    sender.in = file;
                    sender.pump();
                });
        return sender.result.future();
    }

    private void pump() {
        if (closed) {
            return;
        }
        if (response.writeQueueFull()) {
            // One shot: a drain handler left in place would start a second pump next to this one.
            response.drainHandler(v -> {
                response.drainHandler(null);
                pump();
            });
            return;
        }
        long available = fill.written();
        if (position < available) {
            int length = (int) Math.min(CHUNK, available - position);
            in.read(Buffer.buffer(length), 0, position, length).onFailure(this::stop).onSuccess(buffer -> {
                if (closed) {
                    return;
                }
                position += buffer.length();
                response.write(buffer);
                pump();
            });
            return;
        }
        if (fill.isFinished()) {
            if (fill.done().succeeded() && position >= fill.written()) {
                closed = true;
                in.close();
                response.end();
                result.tryComplete(position);
            } else if (fill.done().failed()) {
                stop(fill.done().cause());
            } else {
                fill.done().onComplete(r -> context.runOnContext(v -> pump()));
            }
            return;
        }
        fill.whenBeyond(position, () -> context.runOnContext(v -> pump()));
    }

    private void stop(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        if (in != null) {
            in.close();
        }
        if (!response.ended() && !response.closed()) {
            response.reset();
        }
        result.tryFail(cause);
    }
}
