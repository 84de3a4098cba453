package dev.registrymesh.registry.storage.filesystem;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.registrymesh.common.Digest;
import dev.registrymesh.registry.storage.RepositoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@link RepositoryStore} as small files under {@link StorageLayout}. Hot lookups (tag to digest, manifest
 * media type, blob link) are cached in memory and updated on every write, which assumes one registry
 * node writes to a data directory.
 */
public class FileRepositoryStore implements RepositoryStore {
    private final StorageLayout layout;
    private final Cache<String, Optional<Digest>> tagCache = Caffeine.newBuilder().maximumSize(100_000).build();
    private final Cache<String, Optional<String>> manifestCache = Caffeine.newBuilder().maximumSize(100_000).build();
    private final Cache<String, Boolean> linkCache = Caffeine.newBuilder().maximumSize(200_000).build();
    /** The catalog is rebuilt from disk only after a repository was created. */
    private volatile List<String> catalog;

    public FileRepositoryStore(StorageLayout layout) {
        this.layout = layout;
    }

    private static String key(String repository, Object item) {
        return repository + '\u0000' + item;
    }

    @Override
    public boolean exists(String repository) {
        return Files.isDirectory(layout.repository(repository).resolve("_manifests"))
                || Files.isDirectory(layout.repository(repository).resolve("_layers"));
    }

    @Override
    public boolean hasBlob(String repository, Digest digest) {
        return linkCache.get(key(repository, digest), k -> Files.exists(layout.layerLink(repository, digest)));
    }

    @Override
    public void linkBlob(String repository, Digest digest) {
        boolean isNew = !exists(repository);
        writeFile(layout.layerLink(repository, digest), new byte[0]);
        linkCache.put(key(repository, digest), true);
        if (isNew) {
            catalog = null;
        }
    }

    @Override
    public boolean unlinkBlob(String repository, Digest digest) {
        boolean removed = delete(layout.layerLink(repository, digest));
        linkCache.put(key(repository, digest), false);
        return removed;
    }

    @Override
    public String manifestMediaType(String repository, Digest digest) {
        return manifestCache.get(key(repository, digest), k -> readString(layout.manifestRevision(repository, digest)))
                .orElse(null);
    }

    @Override
    public void putManifest(String repository, Digest digest, String mediaType) {
        boolean isNew = !exists(repository);
        writeFile(layout.manifestRevision(repository, digest), mediaType.getBytes(StandardCharsets.UTF_8));
        manifestCache.put(key(repository, digest), Optional.of(mediaType));
        if (isNew) {
            catalog = null;
        }
    }

    @Override
    public boolean deleteManifest(String repository, Digest digest) {
        boolean removed = delete(layout.manifestRevision(repository, digest));
        manifestCache.put(key(repository, digest), Optional.empty());
        if (removed) {
            for (String tag : tags(repository)) {
                if (digest.equals(tag(repository, tag))) {
                    deleteTag(repository, tag);
                }
            }
        }
        return removed;
    }

    @Override
    public Digest tag(String repository, String tag) {
        return tagCache.get(key(repository, tag), k -> readString(layout.tag(repository, tag)).map(Digest::parse))
                .orElse(null);
    }

    @Override
    public void putTag(String repository, String tag, Digest digest) {
        writeFile(layout.tag(repository, tag), digest.toString().getBytes(StandardCharsets.UTF_8));
        tagCache.put(key(repository, tag), Optional.of(digest));
    }

    @Override
    public boolean deleteTag(String repository, String tag) {
        boolean removed = delete(layout.tag(repository, tag));
        tagCache.put(key(repository, tag), Optional.empty());
        return removed;
    }

    @Override
    public List<String> tags(String repository) {
        return sortedNames(layout.tags(repository));
    }

    @Override
    public boolean deleteRepository(String repository) {
        Path dir = layout.repository(repository);
        boolean held = exists(repository);
        for (String part : List.of("_manifests", "_layers", "_referrers")) {
            deleteTree(dir.resolve(part));
        }
        String prefix = repository + '\u0000';
        tagCache.asMap().keySet().removeIf(k -> k.startsWith(prefix));
        manifestCache.asMap().keySet().removeIf(k -> k.startsWith(prefix));
        linkCache.asMap().keySet().removeIf(k -> k.startsWith(prefix));
        catalog = null;
        // Empty directories up to the root go too, so that nothing of the name is left.
        for (Path p = dir; p.startsWith(layout.repositories()) && !p.equals(layout.repositories()); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException notEmpty) {
                break;
            }
        }
        return held;
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException gone) {
            // deleted meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> repositories() {
        List<String> known = catalog;
        if (known == null) {
            known = scanRepositories();
            catalog = known;
        }
        return known;
    }

    private List<String> scanRepositories() {
        Path root = layout.repositories();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.walk(root)) {
            return dirs.filter(p -> {
                        String leaf = p.getFileName().toString();
                        return leaf.equals("_manifests") || leaf.equals("_layers");
                    })
                    .map(p -> root.relativize(p.getParent()).toString().replace('\\', '/'))
                    .distinct()
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void putReferrer(String repository, Digest subject, Digest referrer, byte[] descriptorJson) {
        writeFile(layout.referrer(repository, subject, referrer), descriptorJson);
    }

    @Override
    public void deleteReferrer(String repository, Digest subject, Digest referrer) {
        delete(layout.referrer(repository, subject, referrer));
    }

    @Override
    public List<byte[]> referrers(String repository, Digest subject) {
        Path dir = layout.referrers(repository, subject);
        List<byte[]> descriptors = new ArrayList<>();
        for (String name : sortedNames(dir)) {
            readBytes(dir.resolve(name)).ifPresent(descriptors::add);
        }
        return descriptors;
    }

    private static List<String> sortedNames(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes via a temp file and rename, so readers never see a half-written link. */
    private void writeFile(Path target, byte[] content) {
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), ".", ".tmp");
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean delete(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> readString(Path file) {
        return readBytes(file).map(b -> new String(b, StandardCharsets.UTF_8).trim());
    }

    private static Optional<byte[]> readBytes(Path file) {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<BlobLink> blobLinks(String repository) {
        List<BlobLink> links = new ArrayList<>();
        Path layers = layout.repository(repository).resolve("_layers");
        for (String algorithm : sortedNames(layers)) {
            for (String hex : sortedNames(layers.resolve(algorithm))) {
                String text = algorithm + ":" + hex;
                Instant at = Digest.isValid(text) ? modified(layers.resolve(algorithm).resolve(hex)) : null;
                if (at != null) {
                    links.add(new BlobLink(Digest.parse(text), at));
                }
            }
        }
        return links;
    }

    @Override
    public Instant linkedAt(String repository, Digest digest) {
        return modified(layout.layerLink(repository, digest));
    }

    @Override
    public List<ManifestRevision> manifestRevisions(String repository) {
        List<ManifestRevision> revisions = new ArrayList<>();
        Path root = layout.repository(repository).resolve("_manifests").resolve("revisions");
        for (String algorithm : sortedNames(root)) {
            for (String hex : sortedNames(root.resolve(algorithm))) {
                String text = algorithm + ":" + hex;
                if (!Digest.isValid(text)) {
                    continue;
                }
                Path file = root.resolve(algorithm).resolve(hex);
                Instant at = modified(file);
                Optional<String> mediaType = readString(file);
                if (at != null && mediaType.isPresent()) {
                    revisions.add(new ManifestRevision(Digest.parse(text), mediaType.get(), at));
                }
            }
        }
        return revisions;
    }

    @Override
    public List<TagEntry> tagEntries(String repository) {
        List<TagEntry> entries = new ArrayList<>();
        for (String tag : tags(repository)) {
            Path file = layout.tag(repository, tag);
            Instant at = modified(file);
            Optional<String> digest = readString(file);
            if (at != null && digest.isPresent() && Digest.isValid(digest.get())) {
                entries.add(new TagEntry(tag, Digest.parse(digest.get()), at));
            }
        }
        return entries;
    }

    private static Instant modified(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).lastModifiedTime().toInstant();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
