package dev.registrymesh.registry.storage.filesystem;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.registrymesh.common.Digest;
import dev.registrymesh.registry.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** {@link BlobStore} on a local filesystem, laid out by {@link StorageLayout}. */
public class FileBlobStore implements BlobStore {
    private final StorageLayout layout;
    /** Blob sizes never change once written, so a stat is paid once per digest. Absent ones are not cached. */
    private final Cache<Digest, Long> sizes = Caffeine.newBuilder().maximumSize(200_000).build();

    public FileBlobStore(StorageLayout layout) {
        this.layout = layout;
        try {
            Files.createDirectories(layout.tmp());
            Files.createDirectories(layout.blobs());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + layout.root(), e);
        }
    }

    @Override
    public long size(Digest digest) {
        Long known = sizes.getIfPresent(digest);
        if (known != null) {
            return known;
        }
        try {
            long size = Files.size(layout.blob(digest));
            sizes.put(digest, size);
            return size;
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Path localFile(Digest digest) {
        return layout.blob(digest);
    }

    @Override
    public Future<ReadStream<Buffer>> open(Vertx vertx, Digest digest, long offset, long length) {
        return vertx.fileSystem().open(layout.blob(digest).toString(), new OpenOptions().setRead(true))
                .map(file -> file.pause().setReadPos(offset).setReadLength(length));
    }

    @Override
    public Path newTempFile() throws IOException {
        return Files.createTempFile(layout.tmp(), "blob-", ".part");
    }

    @Override
    public void commit(Path verifiedTemp, Digest digest) throws IOException {
        Path target = layout.blob(digest);
        if (Files.exists(target)) {
            Files.deleteIfExists(verifiedTemp);
            return;
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(verifiedTemp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(verifiedTemp); // a concurrent writer of the same content won
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the data directory must support atomic renames: " + layout.root(), e);
        }
    }

    @Override
    public void put(Digest digest, byte[] content) throws IOException {
        if (size(digest) >= 0) {
            return;
        }
        Path temp = newTempFile();
        Files.write(temp, content, StandardOpenOption.TRUNCATE_EXISTING);
        commit(temp, digest);
    }

    @Override
    public byte[] read(Digest digest) throws IOException {
        return Files.readAllBytes(layout.blob(digest));
    }

    @Override
    public StoredBlob stat(Digest digest) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(layout.blob(digest), BasicFileAttributes.class);
            return new StoredBlob(digest, attributes.size(), attributes.lastModifiedTime().toInstant());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void forEachBlob(Consumer<StoredBlob> action) {
        // blobs/<alg>/<hex[0..2]>/<hex>: anything else under blobs/ is not a blob and is left alone.
        for (Path algorithm : children(layout.blobs())) {
            for (Path prefix : children(algorithm)) {
                for (Path file : children(prefix)) {
                    Digest digest = digestOf(algorithm, file);
                    StoredBlob blob = digest == null ? null : stat(digest);
                    if (blob != null) {
                        action.accept(blob);
                    }
                }
            }
        }
    }

    private static Digest digestOf(Path algorithm, Path file) {
        String text = algorithm.getFileName() + ":" + file.getFileName();
        return Digest.isValid(text) ? Digest.parse(text) : null;
    }

    private static java.util.List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        } catch (NoSuchFileException e) {
            return java.util.List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean delete(Digest digest) {
        sizes.invalidate(digest);
        try {
            boolean removed = Files.deleteIfExists(layout.blob(digest));
            sizes.invalidate(digest); // a size() that raced the delete must not keep the old size
            return removed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
