package dev.registrymesh.registry.events;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Drains an {@link EventQueue} to the index: POSTs batches (read from the queue's segments in one go) as the
 * Distribution envelope, moves the queue's cursor past them only after a 2xx, and after a failure waits with exponential back-off (capped) before trying the same batch again. Disk work
 * runs on {@code io}, HTTP on Vert.x: nothing here blocks an event loop. At-least-once: a batch whose answer was
 * lost is sent again, and the receiver deduplicates by event id.
 */
public final class EventSender {
    private static final Logger LOG = Logger.getLogger(EventSender.class);
    public static final String TOKEN_HEADER = "X-Mesh-Internal-Token";

    private enum State { IDLE, SENDING, STOPPED }

    private final Vertx vertx;
    private final EventQueue queue;
    private final EventQueueStats stats;
    private final Executor io;
    private final String url;
    private final String token;
    private final int batchSize;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final HttpClient client;
    private final AtomicReference<State> state = new AtomicReference<>(State.IDLE);
    private int failures;
    /** After a refused batch: send one event at a time until the refused one is found. */
    private boolean isolating;
    private long pollTimer = -1;

    public EventSender(Vertx vertx, EventQueueStats stats, Executor io, String url, String token, int batchSize,
                       Duration initialBackoff, Duration maxBackoff) {
        this.vertx = vertx;
        this.queue = stats.queue();
        this.stats = stats;
        this.io = io;
        this.url = url;
        this.token = token;
        this.batchSize = batchSize;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setIdleTimeout(30));
    }

    /** Starts draining what is queued (also what an earlier run left) and polls as a safety net. */
    public void start() {
        pollTimer = vertx.setPeriodic(1_000, t -> kick());
        kick();
    }

    /** Something was queued: start sending unless a send or a back-off wait is under way. */
    public void kick() {
        if (state.compareAndSet(State.IDLE, State.SENDING)) {
            io.execute(this::sendNext);
        }
    }

    /** The wait after {@code failures} failures in a row: initial, doubled each time, capped. */
    public static long backoffMillis(int failures, Duration initial, Duration max) {
        long delay = initial.toMillis();
        for (int i = 1; i < failures && delay < max.toMillis(); i++) {
            delay *= 2;
        }
        return Math.min(delay, max.toMillis());
    }

    /** Runs on {@code io}. */
    private void sendNext() {
        if (state.get() == State.STOPPED) {
            return;
        }
        EventQueue.Batch batch;
        try {
            batch = queue.peek(isolating ? 1 : batchSize);
        } catch (RuntimeException e) {
            LOG.warn("cannot read the event queue", e);
            retryLater();
            return;
        }
        if (batch.isEmpty()) {
            state.compareAndSet(State.SENDING, State.IDLE);
            // An event queued while we looked would otherwise wait for the next poll.
            if (queue.size() > 0) {
                kick();
            }
            return;
        }
        Buffer body = NotificationEnvelope.envelope(batch.events());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .putHeader("Content-Type", NotificationEnvelope.MEDIA_TYPE)
                .setIdleTimeout(30_000);
        if (token != null && !token.isBlank()) {
            options.putHeader(TOKEN_HEADER, token);
        }
        client.request(options)
                .compose(req -> req.send(body))
                .compose(resp -> resp.body().map(ignored -> resp.statusCode()))
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result() / 100 == 2) {
                        failures = 0;
                        isolating = false;
                        io.execute(() -> {
                            queue.remove(batch);
                            stats.delivered(batch.size());
                            sendNext();
                        });
                    } else if (ar.succeeded() && isRefusal(ar.result())) {
                        // The receiver will never take this batch: find the bad event by sending one at a time,
                        // and set it aside, rather than retrying it forever ahead of every later event.
                        io.execute(() -> {
                            if (batch.size() == 1) {
                                LOG.errorf("%s refused an event (HTTP %d); set aside under rejected/", url, ar.result());
                                queue.reject(batch);
                            } else {
                                isolating = true;
                            }
                            sendNext();
                        });
                    } else {
                        String why = ar.succeeded() ? "HTTP " + ar.result() : String.valueOf(ar.cause());
                        LOG.debugf("notifying %s failed (%s); %d events wait", url, why, queue.size());
                        if (failures == 0) {
                            LOG.warnf("cannot notify %s (%s); retrying with back-off", url, why);
                        }
                        retryLater();
                    }
                });
    }

    /** Statuses that say the content itself is unacceptable: retrying the same bytes cannot help. */
    static boolean isRefusal(int status) {
        return status == 400 || status == 413 || status == 415 || status == 422;
    }

    private void retryLater() {
        if (state.get() == State.STOPPED) {
            return;
        }
        failures++;
        vertx.setTimer(backoffMillis(failures, initialBackoff, maxBackoff), t -> io.execute(this::sendNext));
    }

    public void stop() {
        state.set(State.STOPPED);
        if (pollTimer >= 0) {
            vertx.cancelTimer(pollTimer);
        }
        client.close();
    }
}
