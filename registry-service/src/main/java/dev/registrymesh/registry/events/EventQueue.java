package dev.registrymesh.registry.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;

/**
 * A durable FIFO of notification events, kept as a log of append-only segment files ({@code <first
 * sequence>.log}, 20 digits, so names sort in order). Each event is one record: a 4-byte length, the CRC-32C of
 * the payload, the JSON. {@link #append} writes a whole group of events with one write and one fsync (group
 * commit) and only then makes them visible to readers; on open, a record that is short or fails its checksum ends
 * its segment (the tail a crash tore off is cut), so a crash leaves whole events or nothing.
 * <p>
 * Delivery progress is a cursor (segment, offset) in {@code cursor}, replaced after each delivered batch without
 * fsync: a cursor lost in a crash only means that some events are sent again, which the receiver deduplicates by
 * event id. Segments wholly behind the cursor are deleted.
 * <p>
 * The queue is bounded in bytes (records, headers included, not yet delivered): {@link #append} takes what fits
 * and refuses the rest, for the caller to count. One thread appends, one other reads and removes.
 */
public final class EventQueue implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventQueue.class);
    static final int HEADER = 8;
    private static final String SUFFIX = ".log";
    private static final String CURSOR = "cursor";
    /** Larger records than this are not events but corruption (a length field that was never written whole). */
    static final int MAX_RECORD = 16 << 20;
    private static final int READ_CHUNK = 1 << 20;

    /** Where the next unread (or undelivered) record starts. */
    public record Position(long segment, long offset) {
    }

    /** Events read in order, and the position just after the last of them. */
    public record Batch(List<byte[]> events, Position end) {
        public boolean isEmpty() {
            return events.isEmpty();
        }

        public int size() {
            return events.size();
        }
    }

    /** One segment file: its events live in {@code [0, end)}; {@code end} moves only after an fsync. */
    private static final class Segment {
        final long id;
        final Path path;
        volatile long end;
        volatile long events;

        Segment(long id, Path path) {
            this.id = id;
            this.path = path;
        }
    }

    private final Path dir;
    private final boolean fsync;
    private final long maxBytes;
    private final long segmentBytes;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final CRC32C crc = new CRC32C();
    /** Writer side (the appending thread only). */
    private FileChannel out;
    private Segment active;
    private long nextSequence;
    /** Reader side: what has been handed out by {@link #peek}, and what the receiver has taken. */
    private volatile Position delivered;

    public EventQueue(Path dir, boolean fsync, long maxBytes, long segmentBytes) {
        this.dir = dir;
        this.fsync = fsync;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        try {
            open();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot open the event queue in " + dir, e);
        }
    }

    private void open() throws IOException {
        Files.createDirectories(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(SUFFIX) && name.length() == 20 + SUFFIX.length()) {
                    long id = Long.parseLong(name.substring(0, 20));
                    segments.put(id, new Segment(id, f));
                } else if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(f);
                }
            }
        }
        Position cursor = readCursor();
        if (cursor == null || !segments.containsKey(cursor.segment())) {
            cursor = new Position(segments.isEmpty() ? 0 : segments.firstKey(), 0);
        }
        for (Segment s : List.copyOf(segments.headMap(cursor.segment()).values())) {
            Files.deleteIfExists(s.path);
            segments.remove(s.id);
        }
        nextSequence = 0;
        for (Segment s : segments.values()) {
            recover(s, s.id == cursor.segment() ? cursor.offset() : 0);
        }
        // A cursor past the valid end of its segment (the segment was cut shorter) restarts at that end.
        Segment first = segments.get(cursor.segment());
        if (first != null && cursor.offset() > first.end) {
            cursor = new Position(first.id, first.end);
        }
        delivered = cursor;
        Segment last = segments.isEmpty() ? null : segments.lastEntry().getValue();
        if (last != null && last.end < segmentBytes) {
            active = last;
            out = FileChannel.open(last.path, StandardOpenOption.WRITE);
            out.position(last.end);
        } else {
            roll();
        }
        importLegacy();
    }

    /**
     * Earlier versions kept one {@code <20 digits>.json} file per event here: such files are moved into the log
     * (stored first, then deleted; a crash in between only means they are sent twice).
     */
    private void importLegacy() throws IOException {
        List<Path> legacy = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "????????????????????.json")) {
            files.forEach(legacy::add);
        }
        if (legacy.isEmpty()) {
            return;
        }
        legacy.sort(null);
        List<byte[]> group = new ArrayList<>();
        for (Path f : legacy) {
            group.add(Files.readAllBytes(f));
        }
        int stored = append(group);
        for (Path f : legacy.subList(0, stored)) {
            Files.delete(f);
        }
        LOG.infof("moved %d queued events of the earlier one-file-per-event format into the event log", stored);
    }

    /**
     * Counts a segment's whole records, cuts it after the last of them, and adds the records after {@code from}
     * to the queue's size.
     */
    private void recover(Segment s, long from) throws IOException {
        long count = 0;
        long pos = 0;
        try (FileChannel in = FileChannel.open(s.path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = in.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            CRC32C check = new CRC32C();
            while (pos + HEADER <= size) {
                header.clear();
                readFully(in, header, pos);
                header.flip();
                int length = header.getInt();
                int expected = header.getInt();
                if (length < 0 || length > MAX_RECORD || pos + HEADER + length > size) {
                    break;
                }
                ByteBuffer payload = ByteBuffer.allocate(length);
                readFully(in, payload, pos + HEADER);
                check.reset();
                check.update(payload.array(), 0, length);
                if ((int) check.getValue() != expected) {
                    break;
                }
                if (pos >= from) {
                    count++;
                    bytes.addAndGet(HEADER + length);
                }
                pos += HEADER + length;
                s.events++;
            }
            if (pos < size) {
                LOG.warnf("event queue segment %s ends with %d bytes that are no whole event (an interrupted write); cut",
                        s.path.getFileName(), size - pos);
                in.truncate(pos);
                in.force(true);
            }
        }
        s.end = pos;
        events.addAndGet(count);
        nextSequence = Math.max(nextSequence, s.id + s.events);
    }

    private static void readFully(FileChannel in, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            int n = in.read(buf, position + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /** Seals the active segment and starts a new one named after the next event's sequence number. */
    private void roll() throws IOException {
        if (out != null) {
            out.close();
        }
        long id = nextSequence;
        Path path = dir.resolve(String.format("%020d%s", id, SUFFIX));
        Segment s = segments.get(id);
        if (s == null) {
            s = new Segment(id, path);
            out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            out.truncate(0);
            if (fsync) {
                syncDirectory();
            }
            segments.put(id, s);
        } else {
            out = FileChannel.open(path, StandardOpenOption.WRITE);
            out.position(s.end);
        }
        active = s;
    }

    /** Makes a new file's name durable, not only its content. */
    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some filesystems cannot open a directory for this; the file's own fsync is then all we can do.
            LOG.debugf("cannot fsync directory %s: %s", dir, e);
        }
    }

    /**
     * Stores events durably, in order, as one group: one write and (with fsync on) one fsync. Returns how many of
     * them, from the first, were stored: the rest would exceed the byte bound and are refused. Only after this
     * returns are the stored events visible to {@link #peek}. Called by one thread.
     *
     * @throws UncheckedIOException when the disk refuses the write; nothing of the group is then kept
     */
    public int append(List<byte[]> group) {
        if (group.isEmpty()) {
            return 0;
        }
        long room = maxBytes - bytes.get();
        int accepted = 0;
        long size = 0;
        for (byte[] e : group) {
            if (size + HEADER + e.length > room) {
                break;
            }
            size += HEADER + e.length;
            accepted++;
        }
        if (accepted == 0) {
            return 0;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        for (int i = 0; i < accepted; i++) {
            byte[] e = group.get(i);
            crc.reset();
            crc.update(e, 0, e.length);
            buf.putInt(e.length).putInt((int) crc.getValue()).put(e);
        }
        buf.flip();
        long start = active.end;
        try {
            while (buf.hasRemaining()) {
                out.write(buf, start + buf.position());
            }
            if (fsync) {
                out.force(false);
            }
        } catch (IOException e) {
            // Leave no torn record behind the valid end that a later append would follow.
            try {
                out.truncate(start);
            } catch (IOException ignored) {
                // The segment's end in memory still excludes them; reopening cuts them off.
            }
            throw new UncheckedIOException("cannot queue notification events in " + dir, e);
        }
        // Durable: count, then publish the new end to readers.
        bytes.addAndGet(size);
        events.addAndGet(accepted);
        nextSequence += accepted;
        active.events += accepted;
        active.end = start + size;
        if (active.end >= segmentBytes) {
            try {
                roll();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a new event queue segment in " + dir, e);
            }
        }
        return accepted;
    }

    /** Up to {@code max} events from the delivery cursor, oldest first; nothing is removed. Called by one thread. */
    public Batch peek(int max) {
        List<byte[]> batch = new ArrayList<>(Math.min(max, 1024));
        Position pos = delivered;
        while (batch.size() < max) {
            Segment s = segments.get(pos.segment());
            if (s == null) {
                Map.Entry<Long, Segment> next = segments.higherEntry(pos.segment());
                if (next == null) {
                    break;
                }
                pos = new Position(next.getKey(), 0);
                continue;
            }
            long end = s.end;
            if (pos.offset() >= end) {
                // Only a segment with a successor is sealed: the writer adds the successor after the last end.
                Map.Entry<Long, Segment> next = segments.higherEntry(s.id);
                if (next == null) {
                    break;
                }
                pos = new Position(next.getKey(), 0);
                continue;
            }
            pos = new Position(s.id, read(s, pos.offset(), end, max, batch));
        }
        return new Batch(batch, pos);
    }

    /** Reads whole records of {@code s} from {@code offset} to at most {@code end}; returns the offset after them. */
    private long read(Segment s, long offset, long end, int max, List<byte[]> into) {
        try (FileChannel in = FileChannel.open(s.path, StandardOpenOption.READ)) {
            long pos = offset;
            CRC32C check = new CRC32C();
            while (pos < end && into.size() < max) {
                ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(end - pos, READ_CHUNK));
                readFully(in, chunk, pos);
                chunk.flip();
                int consumed = 0;
                while (chunk.remaining() >= HEADER && into.size() < max) {
                    int length = chunk.getInt(chunk.position());
                    if (length < 0 || length > MAX_RECORD) {
                        throw new IOException("bad record length " + length + " at " + (pos + consumed));
                    }
                    if (chunk.remaining() < HEADER + length) {
                        break;
                    }
                    int expected = chunk.getInt(chunk.position() + 4);
                    byte[] e = new byte[length];
                    chunk.position(chunk.position() + HEADER);
                    chunk.get(e);
                    check.reset();
                    check.update(e, 0, length);
                    if ((int) check.getValue() != expected) {
                        throw new IOException("checksum mismatch at " + (pos + consumed));
                    }
                    into.add(e);
                    consumed += HEADER + length;
                }
                if (consumed == 0) {
                    // One record larger than the chunk: read it by itself.
                    ByteBuffer header = ByteBuffer.allocate(HEADER);
                    readFully(in, header, pos);
                    int length = header.getInt(0);
                    ByteBuffer e = ByteBuffer.allocate(length);
                    readFully(in, e, pos + HEADER);
                    into.add(e.array());
                    consumed = HEADER + length;
                }
                pos += consumed;
            }
            return pos;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read event queue segment " + s.path, e);
        }
    }

    /** The receiver took {@code batch}: moves the cursor past it and deletes segments wholly behind it. */
    public void remove(Batch batch) {
        if (batch.isEmpty() && batch.end().equals(delivered)) {
            return;
        }
        long size = 0;
        for (byte[] e : batch.events()) {
            size += HEADER + e.length;
        }
        Position end = batch.end();
        writeCursor(end);
        delivered = end;
        bytes.addAndGet(-size);
        events.addAndGet(-batch.size());
        for (Segment s : List.copyOf(segments.headMap(end.segment()).values())) {
            try {
                Files.deleteIfExists(s.path);
            } catch (IOException e) {
                LOG.warnf(e, "cannot delete delivered event segment %s", s.path);
            }
            segments.remove(s.id);
        }
    }

    /**
     * Sets aside events the receiver refused as malformed, as {@code rejected/<segment>-<offset>.json}: kept for
     * inspection, no longer sent, so that one bad event cannot hold up all that follow it. Then removes them.
     */
    public void reject(Batch batch) {
        Path rejected = dir.resolve("rejected");
        Position at = delivered;
        try {
            Files.createDirectories(rejected);
            for (byte[] e : batch.events()) {
                Files.write(rejected.resolve(at.segment() + "-" + at.offset() + ".json"), e);
            }
        } catch (IOException e) {
            LOG.warnf(e, "cannot set aside refused events; dropping them");
        }
        remove(batch);
    }

    private Position readCursor() {
        Path f = dir.resolve(CURSOR);
        if (!Files.exists(f)) {
            return null;
        }
        try {
            String[] parts = Files.readString(f, StandardCharsets.US_ASCII).trim().split(" ");
            if (parts.length == 2) {
                return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        // A cursor torn by a crash: start over from the oldest segment; the receiver drops what it already has.
        LOG.warnf("unreadable event queue cursor in %s: events still on disk will be sent again", dir);
        return null;
    }

    private void writeCursor(Position p) {
        Path tmp = dir.resolve(CURSOR + ".tmp");
        try {
            Files.writeString(tmp, p.segment() + " " + p.offset() + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, dir.resolve(CURSOR), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warnf(e, "cannot save the event queue cursor (delivered events may be sent again)");
        }
    }

    /** Events stored and not yet delivered. */
    public long size() {
        return events.get();
    }

    /** Bytes of the events stored and not yet delivered, record headers included. */
    public long bytes() {
        return bytes.get();
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Whether an event of {@code length} bytes would fit now. */
    public boolean hasRoomFor(int length) {
        return bytes.get() + HEADER + length <= maxBytes;
    }

    /** Segment files on disk (for tests and the health check). */
    public int segmentCount() {
        return segments.size();
    }

    @Override
    public void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            LOG.warn("closing the event queue failed", e);
        }
    }
}
