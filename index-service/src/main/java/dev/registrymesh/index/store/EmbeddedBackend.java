package dev.registrymesh.index.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * The one-node adapter: every table in memory, made durable by an append-only journal of whole-value
 * writes ({@code journal.log}, one JSON line each) and a periodic snapshot ({@code snapshot.json}).
 * On start the snapshot is loaded and the journal replayed; since every line carries a full value,
 * replaying lines that the snapshot already holds changes nothing, so a crash between writing the snapshot
 * and truncating the journal is harmless. A torn last line (crash mid-write) is skipped.
 * Writers are serialized by one lock: the index's write rate is small.
 */
public final class EmbeddedBackend implements KeyValueBackend {
    private static final Logger LOG = Logger.getLogger(EmbeddedBackend.class);
    private static final String EVENTS = "_events";
    private static final int COMPACT_AFTER = 10_000;

    private final Path dir;
    private final boolean fsync;
    private final Clock clock;
    private final Map<String, Map<String, String>> tables = new HashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private FileChannel journal;
    private int journalLines;

    public EmbeddedBackend(Path dir, boolean fsync) {
        this(dir, fsync, Clock.systemUTC());
    }

    EmbeddedBackend(Path dir, boolean fsync, Clock clock) {
        this.dir = dir;
        this.fsync = fsync;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
            loadSnapshot();
            replayJournal();
            journal = FileChannel.open(journalFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the index store in " + dir, e);
        }
    }

    private Path journalFile() {
        return dir.resolve("journal.log");
    }

    private Path snapshotFile() {
        return dir.resolve("snapshot.json");
    }

    private void loadSnapshot() throws IOException {
        if (!Files.exists(snapshotFile())) {
            return;
        }
        JsonNode root = StoreJson.MAPPER.readTree(snapshotFile().toFile());
        for (Iterator<Map.Entry<String, JsonNode>> t = root.fields(); t.hasNext(); ) {
            Map.Entry<String, JsonNode> table = t.next();
            Map<String, String> rows = table(table.getKey());
            for (Iterator<Map.Entry<String, JsonNode>> r = table.getValue().fields(); r.hasNext(); ) {
                Map.Entry<String, JsonNode> row = r.next();
                rows.put(row.getKey(), StoreJson.write(row.getValue()));
            }
        }
    }

    private void replayJournal() throws IOException {
        if (!Files.exists(journalFile())) {
            return;
        }
        try (BufferedReader in = Files.newBufferedReader(journalFile(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode op;
                try {
                    op = StoreJson.MAPPER.readTree(line);
                } catch (IOException torn) {
                    LOG.warnf("skipping a torn journal line in %s", journalFile());
                    continue;
                }
                Map<String, String> rows = table(op.path("t").asText());
                if (op.has("v")) {
                    rows.put(op.path("k").asText(), StoreJson.write(op.get("v")));
                } else {
                    rows.remove(op.path("k").asText());
                }
                journalLines++;
            }
        }
    }

    private Map<String, String> table(String name) {
        return tables.computeIfAbsent(name, n -> new TreeMap<>());
    }

    /** Appends one whole-value write (or a delete when json is null). */
    private void log(String table, String key, String json) {
        write(line(table, key, json), 1);
    }

    private static byte[] line(String table, String key, String json) {
        ObjectNode op = StoreJson.MAPPER.createObjectNode();
        op.put("t", table);
        op.put("k", key);
        if (json != null) {
            try {
                op.set("v", StoreJson.MAPPER.readTree(json));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return (StoreJson.write(op) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@code lines} journal lines with one write and (when on) one fsync. */
    private void write(byte[] bytes, int lines) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                journal.write(buf);
            }
            if (fsync) {
                journal.force(false);
            }
            journalLines += lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the index journal", e);
        }
    }

    /** Called after the in-memory tables took a write, so that a snapshot never misses it. */
    private void maybeCompact() {
        if (journalLines >= COMPACT_AFTER) {
            try {
                compact();
            } catch (IOException e) {
                LOG.warn("index snapshot failed; the journal keeps growing until the next try", e);
            }
        }
    }

    private void changed() {
        for (Runnable l : listeners) {
            l.run();
        }
    }

    /** Writes every table to a new snapshot (temp file, fsync, rename), then starts an empty journal. */
    synchronized void compact() throws IOException {
        long cutoff = clock.millis() - Duration.ofDays(7).toMillis();
        table(EVENTS).values().removeIf(v -> Long.parseLong(v) < cutoff);
        ObjectNode root = StoreJson.MAPPER.createObjectNode();
        for (Map.Entry<String, Map<String, String>> t : tables.entrySet()) {
            ObjectNode rows = root.putObject(t.getKey());
            for (Map.Entry<String, String> r : t.getValue().entrySet()) {
                rows.set(r.getKey(), StoreJson.MAPPER.readTree(r.getValue()));
            }
        }
        Path tmp = dir.resolve("snapshot.json.tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(StoreJson.MAPPER.writeValueAsBytes(root));
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            out.force(true);
        }
        Files.move(tmp, snapshotFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        journal.truncate(0);
        journal.force(true);
        journalLines = 0;
    }

    @Override
    public synchronized String get(String table, String key) {
        return table(table).get(key);
    }

    @Override
    public synchronized Map<String, String> all(String table) {
        return new TreeMap<>(table(table));
    }

    @Override
    public void put(String table, String key, String json) {
        synchronized (this) {
            log(table, key, json);
            table(table).put(key, json);
            maybeCompact();
        }
        changed();
    }

    @Override
    public boolean putIfAbsent(String table, String key, String json) {
        synchronized (this) {
            if (table(table).containsKey(key)) {
                return false;
            }
            log(table, key, json);
            table(table).put(key, json);
            maybeCompact();
        }
        changed();
        return true;
    }

    @Override
    public boolean delete(String table, String key) {
        synchronized (this) {
            if (!table(table).containsKey(key)) {
                return false;
            }
            log(table, key, null);
            table(table).remove(key);
            maybeCompact();
        }
        changed();
        return true;
    }

    @Override
    public String update(String table, String key, UnaryOperator<String> fn) {
        String next;
        synchronized (this) {
            String current = table(table).get(key);
            if (current == null) {
                return null;
            }
            next = fn.apply(current);
            log(table, key, next);
            table(table).put(key, next);
            maybeCompact();
        }
        changed();
        return next;
    }

    @Override
    public synchronized boolean markEvent(String eventId, Duration retention) {
        String seen = table(EVENTS).get(eventId);
        long now = clock.millis();
        if (seen != null && now - Long.parseLong(seen) < retention.toMillis()) {
            return false;
        }
        String value = Long.toString(now);
        log(EVENTS, eventId, value);
        table(EVENTS).put(eventId, value);
        maybeCompact();
        return true;
    }

    /** The whole batch as one journal write and one fsync: a batch of registry events costs one disk flush. */
    @Override
    public synchronized List<Boolean> markEvents(List<String> eventIds, Duration retention) {
        Map<String, String> events = table(EVENTS);
        String value = Long.toString(clock.millis());
        java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream();
        List<Boolean> fresh = new java.util.ArrayList<>(eventIds.size());
        List<String> marked = new java.util.ArrayList<>();
        for (String id : eventIds) {
            String seen = events.get(id);
            if (seen != null && clock.millis() - Long.parseLong(seen) < retention.toMillis()) {
                fresh.add(false);
                continue;
            }
            events.put(id, value);
            marked.add(id);
            lines.writeBytes(line(EVENTS, id, value));
            fresh.add(true);
        }
        if (!marked.isEmpty()) {
            try {
                write(lines.toByteArray(), marked.size());
            } catch (RuntimeException e) {
                marked.forEach(events::remove);
                throw e;
            }
            maybeCompact();
        }
        return fresh;
    }

    @Override
    public synchronized void unmarkEvent(String eventId) {
        if (table(EVENTS).remove(eventId) != null) {
            log(EVENTS, eventId, null);
        }
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized void close() {
        try {
            if (journal != null && journal.isOpen()) {
                journal.force(true);
                journal.close();
            }
        } catch (IOException e) {
            LOG.warn("closing the index journal failed", e);
        }
    }
}
