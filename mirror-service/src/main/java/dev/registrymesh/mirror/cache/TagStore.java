package dev.registrymesh.mirror.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.registrymesh.common.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What each upstream tag pointed at when last checked: {@code tags/<upstream slug>/<repository>/<tag>} holds
 * {@code <digest> <validated-at epoch millis>}. Small and hot, so also kept in memory. Blocking: call from a
 * worker.
 */
public class TagStore {
    /** @param validatedAt when the upstream last confirmed the digest (epoch millis) */
    public record TagRecord(Digest digest, long validatedAt) {
    }

    private final Path root;
    private final Cache<String, TagRecord> memory = Caffeine.newBuilder().maximumSize(100_000).build();

    public TagStore(Path dataDir) {
        this.root = dataDir.resolve("tags");
    }

    private Path file(String upstreamSlug, String repository, String tag) {
        // Repository and tag were validated by the name grammar: no "..", no empty parts.
        return root.resolve(upstreamSlug).resolve(repository).resolve(tag);
    }

    private static String key(String upstreamSlug, String repository, String tag) {
        return upstreamSlug + "/" + repository + ":" + tag;
    }

    public Optional<TagRecord> get(String upstreamSlug, String repository, String tag) {
        String key = key(upstreamSlug, repository, tag);
        TagRecord known = memory.getIfPresent(key);
        if (known != null) {
            return Optional.of(known);
        }
        try {
            String[] parts = Files.readString(file(upstreamSlug, repository, tag), StandardCharsets.UTF_8).trim().split(" ");
            TagRecord record = new TagRecord(Digest.parse(parts[0]), Long.parseLong(parts[1]));
            memory.put(key, record);
            return Optional.of(record);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a damaged record is as good as none: the tag is fetched again
        }
    }

    public void put(String upstreamSlug, String repository, String tag, TagRecord record) {
        memory.put(key(upstreamSlug, repository, tag), record);
        Path target = file(upstreamSlug, repository, tag);
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), ".tag-", ".tmp");
            Files.writeString(temp, record.digest() + " " + record.validatedAt() + "\n", StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void remove(String upstreamSlug, String repository, String tag) {
        memory.invalidate(key(upstreamSlug, repository, tag));
        try {
            Files.deleteIfExists(file(upstreamSlug, repository, tag));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
