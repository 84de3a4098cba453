package dev.registrymesh.mirror.cache;

import dev.registrymesh.common.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * This node's content cache: blobs and manifests by digest, immutable once committed. On disk, under the
 * data directory:
 * <pre>
 *   blobs/&lt;alg&gt;/&lt;hex&gt;    content (blobs and manifests alike)
 *   types/&lt;alg&gt;/&lt;hex&gt;    media type of a cached manifest
 *   tmp/                 fills in progress (digest checked before the rename into blobs/)
 *   pinned               digests never evicted, one a line
 * </pre>
 * What is cached, with its size and last use, is kept in memory (filled by one scan at start), so a hit
 * costs no file system call before the send. Commits are atomic renames: no half blob is ever visible.
 */
public class ContentStore {
    private record Entry(long size, AtomicLong lastUse) {
    }

    private final Path root;
    private final Map<Digest, Entry> entries = new ConcurrentHashMap<>();
    private final Set<Digest> pinned = ConcurrentHashMap.newKeySet();
    private final AtomicLong total = new AtomicLong();

    public ContentStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("tmp"));
            Files.createDirectories(root.resolve("blobs"));
            Files.createDirectories(root.resolve("types"));
            clean(root.resolve("tmp"));
            scan();
            Path pins = root.resolve("pinned");
            if (Files.exists(pins)) {
                for (String line : Files.readAllLines(pins)) {
                    if (Digest.isValid(line.trim())) {
                        pinned.add(Digest.parse(line.trim()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the cache directory " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    public Path path(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithmId()).resolve(digest.hex());
    }

    private Path typePath(Digest digest) {
        return root.resolve("types").resolve(digest.algorithmId()).resolve(digest.hex());
    }

    public boolean has(Digest digest) {
        return entries.containsKey(digest);
    }

    /** Size of cached content, or -1. Marks it used (for LRU). */
    public long use(Digest digest) {
        Entry e = entries.get(digest);
        if (e == null) {
            return -1;
        }
        e.lastUse().set(System.currentTimeMillis());
        return e.size();
    }

    public Set<Digest> digests() {
        return entries.keySet();
    }

    public long totalBytes() {
        return total.get();
    }

    public Path newTempFile() throws IOException {
        return Files.createTempFile(root.resolve("tmp"), "fill-", ".part");
    }

    /** Moves a verified temp file into place. */
    public void commit(Path verifiedTemp, Digest digest) throws IOException {
        Path target = path(digest);
        Files.createDirectories(target.getParent());
        long size = Files.size(verifiedTemp);
        try {
            Files.move(verifiedTemp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the data directory must support atomic renames: " + root, e);
        }
        record(digest, size);
    }

    /** Stores a manifest (small, already verified) with its media type. */
    public void putManifest(Digest digest, String mediaType, byte[] content) throws IOException {
        Path type = typePath(digest);
        Files.createDirectories(type.getParent());
        Path temp = newTempFile();
        Files.writeString(temp, mediaType, StandardCharsets.UTF_8);
        Files.move(temp, type, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (!has(digest)) {
            temp = newTempFile();
            Files.write(temp, content);
            commit(temp, digest);
        }
    }

    /** A cached manifest, or null. */
    public CachedManifest manifest(Digest digest) {
        if (use(digest) < 0) {
            return null;
        }
        try {
            String type = Files.readString(typePath(digest), StandardCharsets.UTF_8);
            return new CachedManifest(digest, type, Files.readAllBytes(path(digest)));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void pin(Digest digest) throws IOException {
        if (pinned.add(digest)) {
            Files.writeString(root.resolve("pinned"), digest + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
    }

    public boolean isPinned(Digest digest) {
        return pinned.contains(digest);
    }

    /**
     * Removes least recently used, unpinned content until the cache holds at most {@code quota} bytes.
     *
     * @param busy content that must stay (fills and sends in progress)
     * @return what was removed
     */
    public List<Digest> evict(long quota, Predicate<Digest> busy) {
        List<Digest> removed = new ArrayList<>();
        if (total.get() <= quota) {
            return removed;
        }
        List<Map.Entry<Digest, Entry>> candidates = new ArrayList<>(entries.entrySet());
        candidates.sort(Comparator.comparingLong(e -> e.getValue().lastUse().get()));
        for (Map.Entry<Digest, Entry> candidate : candidates) {
            if (total.get() <= quota) {
                break;
            }
            Digest digest = candidate.getKey();
            if (pinned.contains(digest) || busy.test(digest)) {
                continue;
            }
            if (entries.remove(digest) != null) {
                total.addAndGet(-candidate.getValue().size());
                try {
                    Files.deleteIfExists(path(digest));
                    Files.deleteIfExists(typePath(digest));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                removed.add(digest);
            }
        }
        return removed;
    }

    /** Bytes one eviction candidate would free; for metrics. */
    public long sizeOf(Digest digest) {
        Entry e = entries.get(digest);
        return e == null ? 0 : e.size();
    }

    private void record(Digest digest, long size) {
        Entry previous = entries.putIfAbsent(digest, new Entry(size, new AtomicLong(System.currentTimeMillis())));
        if (previous == null) {
            total.addAndGet(size);
        }
    }

    private void scan() throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("blobs"), 2)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                String text = file.getParent().getFileName() + ":" + file.getFileName();
                if (Digest.isValid(text)) {
                    try {
                        Digest digest = Digest.parse(text);
                        record(digest, Files.size(file));
                        entries.get(digest).lastUse().set(Files.getLastModifiedTime(file).toMillis());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        }
    }

    private static void clean(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
