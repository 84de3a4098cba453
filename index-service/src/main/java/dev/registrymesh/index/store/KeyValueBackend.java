package dev.registrymesh.index.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The few primitives an index storage adapter provides: named tables of JSON strings by key, an atomic
 * read-modify-write, and a set of seen event ids. Everything typed lives in {@link IndexStore}.
 */
public interface KeyValueBackend extends AutoCloseable {
    String get(String table, String key);

    Map<String, String> all(String table);

    void put(String table, String key, String json);

    /** Stores the value only when the key is absent; true when it was stored. */
    boolean putIfAbsent(String table, String key, String json);

    boolean delete(String table, String key);

    /**
     * Atomically replaces the value under {@code key} by {@code fn(current)}; nothing happens when the key is
     * absent. {@code fn} may run more than once (optimistic adapters) and must be pure. Returns the new value or null.
     */
    String update(String table, String key, UnaryOperator<String> fn);

    /** Records {@code eventId}; true the first time, false when it was already recorded within {@code retention}. */
    boolean markEvent(String eventId, Duration retention);

    /**
     * {@link #markEvent} for a batch, in order (an id twice in the batch is new only the first time); adapters that
     * can should record the whole batch with one write.
     */
    default List<Boolean> markEvents(List<String> eventIds, Duration retention) {
        List<Boolean> fresh = new ArrayList<>(eventIds.size());
        for (String id : eventIds) {
            fresh.add(markEvent(id, retention));
        }
        return fresh;
    }

    /** Forgets an event id, so that a redelivery of an event that failed to apply is applied. */
    void unmarkEvent(String eventId);

    /** Calls {@code listener} after every change, including (for shared adapters) changes made by other nodes. */
    void onChange(Runnable listener);

    @Override
    void close();
}
