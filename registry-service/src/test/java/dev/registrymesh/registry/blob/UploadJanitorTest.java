package dev.registrymesh.registry.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.registry.storage.filesystem.FileBlobStore;
import dev.registrymesh.registry.storage.filesystem.FileUploadStore;
import dev.registrymesh.registry.storage.filesystem.StorageLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadJanitorTest {
    @TempDir
    Path root;

    @Test
    void removesOnlyStaleSessionsAndTempFiles() throws IOException {
        StorageLayout layout = new StorageLayout(root);
        Path stale = session(layout, "11111111-1111-1111-1111-111111111111", Duration.ofHours(30));
        Path fresh = session(layout, "22222222-2222-2222-2222-222222222222", Duration.ofMinutes(5));
        Files.createDirectories(layout.tmp());
        Path staleTemp = touch(layout.tmp().resolve("blob-1.part"), Duration.ofDays(2));
        Path freshTemp = touch(layout.tmp().resolve("blob-2.part"), Duration.ZERO);

        FileUploadStore store = new FileUploadStore(layout, new FileBlobStore(layout));
        assertEquals(2, new UploadJanitor(store, layout.tmp(), Duration.ofHours(24)).purge());

        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(staleTemp));
        assertTrue(Files.exists(fresh.resolve("data")));
        assertTrue(Files.exists(freshTemp));
    }

    private static Path session(StorageLayout layout, String uuid, Duration age) throws IOException {
        Path dir = Files.createDirectories(layout.upload(uuid));
        Files.writeString(dir.resolve("session"), "a/b\nsha256");
        touch(dir.resolve("data"), age);
        return dir;
    }

    private static Path touch(Path file, Duration age) throws IOException {
        Files.write(file, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }
}
