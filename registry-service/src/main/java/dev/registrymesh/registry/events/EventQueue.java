package dev.registrymesh.registry.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import org.jboss.logging.Logger;

/**
 * A durable FIFO of notification events: one small JSON file per event, named by a zero-padded sequence number so
 * that names sort in arrival order. A file appears whole or not at all (temp file, fsync, rename), so a crash
 * leaves either the event or nothing; leftover temp files are removed on open. Names are kept in memory so
 * that taking a batch never scans the directory.
 */
public final class EventQueue {
    private static final Logger LOG = Logger.getLogger(EventQueue.class);
    private static final String SUFFIX = ".json";

    public record Entry(String name, byte[] json) {
    }

    private final Path dir;
    private final boolean fsync;
    private final ConcurrentSkipListSet<String> pending = new ConcurrentSkipListSet<>();
    private long next;

    public EventQueue(Path dir, boolean fsync) {
        this.dir = dir;
        this.fsync = fsync;
        try {
            Files.createDirectories(dir);
            long max = -1;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(SUFFIX) && name.length() == 20 + SUFFIX.length()) {
                        pending.add(name);
                        max = Math.max(max, Long.parseLong(name.substring(0, 20)));
                    } else if (name.endsWith(".tmp")) {
                        Files.deleteIfExists(f);
                    }
                }
            }
            next = max + 1;
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot open the event queue in " + dir, e);
        }
    }

    /** Stores one event durably. */
    public synchronized void append(byte[] json) {
        String name = String.format("%020d%s", next++, SUFFIX);
        Path tmp = dir.resolve(name + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(json);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                if (fsync) {
                    out.force(true);
                }
            }
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot queue a notification event in " + dir, e);
        }
        pending.add(name);
    }

    /** The oldest {@code max} events, oldest first. Files that cannot be read are dropped with a warning. */
    public List<Entry> peek(int max) {
        List<Entry> batch = new ArrayList<>(Math.min(max, pending.size()));
        for (String name : pending) {
            if (batch.size() >= max) {
                break;
            }
            try {
                batch.add(new Entry(name, Files.readAllBytes(dir.resolve(name))));
            } catch (NoSuchFileException gone) {
                pending.remove(name);
            } catch (IOException e) {
                LOG.warnf(e, "dropping unreadable queued event %s", name);
                remove(List.of(name));
            }
        }
        return batch;
    }

    /** Forgets delivered events. */
    public void remove(Collection<String> names) {
        for (String name : names) {
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException e) {
                LOG.warnf(e, "cannot delete delivered event %s (it may be delivered again)", name);
            }
            pending.remove(name);
        }
    }

    /**
     * Sets aside events the receiver refused as malformed, under {@code rejected/}: kept for inspection,
     * no longer sent, so that one bad event cannot hold up all that follow it.
     */
    public void reject(Collection<String> names) {
        Path rejected = dir.resolve("rejected");
        for (String name : names) {
            try {
                Files.createDirectories(rejected);
                Files.move(dir.resolve(name), rejected.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException gone) {
                // already gone
            } catch (IOException e) {
                LOG.warnf(e, "cannot set aside refused event %s; dropping it", name);
                remove(List.of(name));
            }
            pending.remove(name);
        }
    }

    public int size() {
        return pending.size();
    }
}
