package dev.registrymesh.registry.storage.filesystem;

import static dev.registrymesh.registry.storage.filesystem.LocalFiles.children;
import static dev.registrymesh.registry.storage.filesystem.LocalFiles.deleteTree;
import static dev.registrymesh.registry.storage.filesystem.LocalFiles.lastModified;

import dev.registrymesh.common.Digest;
import dev.registrymesh.registry.storage.BlobStore;
import dev.registrymesh.registry.storage.UploadSession;
import dev.registrymesh.registry.storage.UploadStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Upload sessions under {@link StorageLayout#uploads()}: the bytes in {@code data}, appended to in place, and
 * {@code session} holding "repository\nalgorithm\nsize\ndigest of the bytes so far\nstarted (epoch ms)". Session
 * files of older releases have, in the fourth line, a Bouncy Castle digest state in base64 (which never contains
 * a colon, a digest always does), or only the first two lines: their digest is unknown (null) and rebuilt from
 * the data when it is needed.
 */
public class FileUploadStore implements UploadStore {
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
                + (session.digest() == null ? "-" : session.digest().toString()) + "\n" + session.startedAt().toEpochMilli();
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
            Digest digest = lines[3].indexOf(':') > 0 && Digest.isValid(lines[3]) ? Digest.parse(lines[3]) : null;
            return new UploadSession(uuid, lines[0], algorithm, Long.parseLong(lines[2]), digest,
                    Instant.ofEpochMilli(Long.parseLong(lines[4])), null);
        }
        // A session of an older release that kept no size: the data file holds what was acknowledged.
        long size;
        try {
            size = Files.size(data(uuid));
        } catch (NoSuchFileException e) {
            return null;
        }
        return new UploadSession(uuid, lines[0], algorithm, size, null, Instant.now(), null);
    }

    @Override
    public ChunkTarget chunkTarget(UploadSession session) {
        return new ChunkTarget(data(session.uuid()), true);
    }

    @Override
    public UploadSession appendChunk(UploadSession session, ChunkTarget target, long length, Digest digest) throws IOException {
        UploadSession next = session.withProgress(session.size() + length, digest, null);
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

    /** The first {@code size} bytes of {@code data}: bytes past them are a chunk that was never acknowledged. */
    @Override
    public UploadSession readTo(UploadSession session, OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(data(session.uuid()))) {
            byte[] buffer = new byte[64 * 1024];
            for (long left = session.size(); left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break; // shorter than the session says: the caller sees the count
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
        return session;
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
}
