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

    /**
     * After a crash: every temp file older than the process goes (only requests in flight own temp files), and so do
     * upload directories missing a file; complete sessions stay whatever their age (clients may resume them), and
     * whatever this process wrote after it started stays.
     */
    @Test
    void atStartRemovesWhatTheCrashedProcessLeft() throws IOException {
        StorageLayout layout = new StorageLayout(root);
        Instant processStart = Instant.now().minusSeconds(60);
        Files.createDirectories(layout.tmp());
        Path crashedTemp = touch(layout.tmp().resolve("blob-1.part"), Duration.ofMinutes(5));
        Path crashedTemp2 = touch(layout.tmp().resolve("blob-2.part"), Duration.ofDays(3));
        Path ownTemp = touch(layout.tmp().resolve("blob-3.part"), Duration.ZERO);
        Path liveSession = session(layout, "11111111-1111-1111-1111-111111111111", Duration.ofHours(2));
        Path noSessionFile = Files.createDirectories(layout.upload("22222222-2222-2222-2222-222222222222"));
        touch(noSessionFile.resolve("data"), Duration.ofMinutes(5));
        Files.setLastModifiedTime(noSessionFile, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        Path noDataFile = session(layout, "33333333-3333-3333-3333-333333333333", Duration.ofMinutes(5));
        Files.delete(noDataFile.resolve("data"));
        Files.setLastModifiedTime(noDataFile, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        Path ownStarting = Files.createDirectories(layout.upload("44444444-4444-4444-4444-444444444444"));

        FileUploadStore store = new FileUploadStore(layout, new FileBlobStore(layout));
        UploadJanitor.Orphans removed = new UploadJanitor(store, layout.tmp(), Duration.ofHours(24)).removeOrphans(processStart);

        assertEquals(new UploadJanitor.Orphans(2, 2), removed);
        assertFalse(Files.exists(crashedTemp));
        assertFalse(Files.exists(crashedTemp2));
        assertFalse(Files.exists(noSessionFile));
        assertFalse(Files.exists(noDataFile));
        assertTrue(Files.exists(ownTemp));
        assertTrue(Files.exists(liveSession.resolve("data")));
        assertTrue(Files.exists(ownStarting));
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
