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
 * Sends the bytes of a {@link Fill} to one HTTP response as they arrive, at the pace of the client
 * (back-pressure via the response's write queue): from the fill's live window in memory while the client keeps
 * up, from its file when the client has fallen behind (or joined late). The response's headers must be set;
 * this ends it when the fill commits, or resets it when the fill fails (the client sees a truncated body, never
 * wrong bytes presented as complete).
 */
public final class TailSender {
    /** Per write from memory, and per read from the file. */
    private static final int CHUNK = 256 * 1024;

    private final Vertx vertx;
    private final Fill fill;
    private final HttpServerResponse response;
    private final Context context;
    private final Promise<Long> result = Promise.promise();
    private AsyncFile in;
    private long position;
    private boolean closed;

    private TailSender(Vertx vertx, Fill fill, HttpServerResponse response, Context context) {
        this.vertx = vertx;
        this.fill = fill;
        this.response = response;
        this.context = context;
    }

    /**
     * Streams {@code fill} to {@code response}; completes with the bytes sent. Call it on the response's own
     * context (the request's event loop): its write queue and drain events are only coherent there.
     */
    public static Future<Long> send(Vertx vertx, Fill fill, HttpServerResponse response) {
        TailSender sender = new TailSender(vertx, fill, response, vertx.getOrCreateContext());
        response.closeHandler(v -> sender.stop(new java.io.IOException("client closed the connection")));
        sender.pump();
        return sender.result.future();
    }

    private void pump() {
        while (!closed) {
            if (response.writeQueueFull()) {
                // One shot: a drain handler left in place would start a second pump next to this one.
                response.drainHandler(v -> {
                    response.drainHandler(null);
                    pump();
                });
                return;
            }
            Buffer live = fill.live(position, CHUNK);
            if (live != null) {
                position += live.length();
                response.write(live);
                continue;
            }
            if (position < fill.written()) {
                readFile();
                return;
            }
            if (fill.isFinished()) {
                if (fill.done().succeeded() && position >= fill.written()) {
                    closed = true;
                    if (in != null) {
                        in.close();
                    }
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
            return;
        }
    }

    /** The bytes at {@code position} are no longer in memory: from the file, opened on first need. */
    private void readFile() {
        if (in == null) {
            java.nio.file.Path path = fill.readablePath();
            vertx.fileSystem().open(path.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
                    .onFailure(e -> {
                        // The fill committed (its temp file renamed into the store) between choosing the path and
                        // opening it: open the committed file. Without this the client saw a truncated body.
                        if (!closed && !path.equals(fill.readablePath())) {
                            readFile();
                        } else {
                            stop(e);
                        }
                    })
                    .onSuccess(file -> {
                        if (closed) {
                            file.close();
                            return;
                        }
                        in = file;
                        readFile();
                    });
            return;
        }
        int length = (int) Math.min(CHUNK, fill.written() - position);
        in.read(Buffer.buffer(length), 0, position, length).onFailure(this::stop).onSuccess(buffer -> {
            if (closed) {
                return;
            }
            position += buffer.length();
            response.write(buffer);
            pump();
        });
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
