package dev.registrymesh.registry.storage.filesystem;

import dev.registrymesh.common.Digest;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.ResumableDigest;
import dev.registrymesh.registry.storage.UploadSession;
import dev.registrymesh.registry.storage.UploadStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Upload sessions under {@link StorageLayout#uploads()}: the bytes in {@code data}, appended to in place, and
 * {@code session} holding "repository\nalgorithm\nsize\nbase64 digest state\nstarted (epoch ms)". A session
 * file of an older release has the first two lines only: its digest is then rebuilt from the data.
 */
public class FileUploadStore implements UploadStore {
    private static final Logger LOG = Logger.getLogger(FileUploadStore.class);
    private final StorageLayout layout;
    private final BlobStore blobs;

    public FileUploadStore(StorageLayout layout, BlobStore blobs) {
        this.layout = layout;
        this.blobs = blobs;
    }

    private Path data(String uuid) {
        return layout.upload(uuid).resolve("data");
    }

    private Path sessionFile(String uuid) {
        return layout.upload(uuid).resolve("session");
    }

    @Override
    public void create(UploadSession session) throws IOException {
        Files.createDirectories(layout.upload(session.uuid()));
        Files.write(data(session.uuid()), new byte[0]);
        writeSession(session);
    }

    private void writeSession(UploadSession session) throws IOException {
        String text = session.repository() + "\n" + session.algorithm().id() + "\n" + session.size() + "\n"
                + Base64.getEncoder().encodeToString(session.digestState()) + "\n" + session.startedAt().toEpochMilli();
        Path temp = Files.createTempFile(layout.upload(session.uuid()), ".session", ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, sessionFile(session.uuid()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public UploadSession load(String uuid) throws IOException {
        String[] lines;
        try {
            lines = Files.readString(sessionFile(uuid), StandardCharsets.UTF_8).split("\n");
        } catch (NoSuchFileException e) {
            return null;
        }
        if (lines.length < 2) {
            return null;
        }
        Digest.Algorithm algorithm = Digest.Algorithm.of(lines[1]);
        if (lines.length >= 5) {
            return new UploadSession(uuid, lines[0], algorithm, Long.parseLong(lines[2]), Base64.getDecoder().decode(lines[3]),
                    Instant.ofEpochMilli(Long.parseLong(lines[4])), null);
        }
        // A session of an older release: no digest state stored, so it is rebuilt once from the bytes.
        ResumableDigest digest = ResumableDigest.start(algorithm);
        long size = hash(data(uuid), digest);
        return new UploadSession(uuid, lines[0], algorithm, size, digest.state(), Instant.now(), null);
    }

    @Override
    public ChunkTarget chunkTarget(UploadSession session) {
        return new ChunkTarget(data(session.uuid()), true);
    }

    @Override
    public UploadSession appendChunk(UploadSession session, ChunkTarget target, long length, byte[] digestState) throws IOException {
        UploadSession next = session.withProgress(session.size() + length, digestState, null);
        writeSession(next);
        return next;
    }

    @Override
    public void discardChunk(UploadSession session, ChunkTarget target) throws IOException {
        try (FileChannel channel = FileChannel.open(target.file(), StandardOpenOption.WRITE)) {
            channel.truncate(session.size());
        } catch (NoSuchFileException gone) {
            // cancelled meanwhile
        }
    }

    @Override
    public void commit(UploadSession session, Digest digest) throws IOException {
        blobs.commit(data(session.uuid()), digest);
        delete(session);
    }

    @Override
    public Digest rehash(UploadSession session, Digest.Algorithm algorithm) throws IOException {
        ResumableDigest digest = ResumableDigest.start(algorithm);
        hash(data(session.uuid()), digest);
        return digest.finish();
    }

    private static long hash(Path file, ResumableDigest digest) throws IOException {
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                size += n;
            }
        }
        return size;
    }

    @Override
    public void delete(UploadSession session) throws IOException {
        deleteTree(layout.upload(session.uuid()));
    }

    /** Sessions whose data (or, without data, directory) was last touched before {@code cutoff}. */
    @Override
    public int purge(Instant cutoff) {
        int removed = 0;
        for (Path entry : children(layout.uploads())) {
            Path data = entry.resolve("data");
            if (lastModified(Files.exists(data) ? data : entry).isBefore(cutoff)) {
                deleteTree(entry);
                removed++;
            }
        }
        return removed;
    }

    /** Upload directories missing their session or data file: a crash inside start or cancel; no request can use them. */
    @Override
    public int removeBroken(Instant before) {
        int removed = 0;
        for (Path entry : children(layout.uploads())) {
            boolean unfinished = !Files.exists(entry.resolve("session")) || !Files.exists(entry.resolve("data"));
            if (unfinished && lastModified(entry).isBefore(before)) {
                deleteTree(entry);
                removed++;
            }
        }
        return removed;
    }

    static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        } catch (IOException e) {
            LOG.warnf(e, "cannot list %s", dir);
            return List.of();
        }
    }

    static Instant lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.now(); // gone or unreadable: leave it for the next round
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warnf(e, "cannot remove %s", root);
        }
    }
}
