package dev.registrymesh.registry.storage.s3;

import dev.registrymesh.common.Digest;
import dev.registrymesh.registry.storage.RepositoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link RepositoryStore} as small objects under {@link S3Layout}. Nothing is cached in memory: every answer
 * comes from the bucket, so a tag written through one node is what every node serves as soon as the write was
 * acknowledged (S3 reads are strongly consistent after a write). Concurrent writers of one tag: the last
 * PutObject wins, and both succeed.
 */
public class S3RepositoryStore implements RepositoryStore {
    private final S3Storage s3;
    private final S3Layout layout;

    public S3RepositoryStore(S3Storage s3) {
        this.s3 = s3;
        this.layout = s3.layout();
    }

    @Override
    public boolean exists(String repository) {
        return s3.any(layout.manifests(repository)) || s3.any(layout.layers(repository));
    }

    @Override
    public boolean hasBlob(String repository, Digest digest) {
        return s3.size(layout.layerLink(repository, digest)) >= 0;
    }

    @Override
    public void linkBlob(String repository, Digest digest) {
        s3.put(layout.layerLink(repository, digest), new byte[0]);
    }

    @Override
    public boolean unlinkBlob(String repository, Digest digest) {
        return s3.delete(layout.layerLink(repository, digest));
    }

    @Override
    public String manifestMediaType(String repository, Digest digest) {
        return text(layout.manifestRevision(repository, digest));
    }

    @Override
    public void putManifest(String repository, Digest digest, String mediaType) {
        s3.put(layout.manifestRevision(repository, digest), mediaType.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean deleteManifest(String repository, Digest digest) {
        boolean removed = s3.delete(layout.manifestRevision(repository, digest));
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
        String digest = text(layout.tag(repository, tag));
        return digest == null ? null : Digest.parse(digest);
    }

    @Override
    public void putTag(String repository, String tag, Digest digest) {
        s3.put(layout.tag(repository, tag), digest.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean deleteTag(String repository, String tag) {
        return s3.delete(layout.tag(repository, tag));
    }

    @Override
    public List<String> tags(String repository) {
        String prefix = layout.tags(repository);
        return s3.list(prefix, true).objects().stream().map(o -> o.key().substring(prefix.length())).sorted().toList();
    }

    @Override
    public boolean deleteRepository(String repository) {
        boolean held = exists(repository);
        List<String> keys = new ArrayList<>();
        for (String part : List.of(layout.manifests(repository), layout.layers(repository), layout.referrersOfRepository(repository))) {
            s3.list(part, false).objects().forEach(o -> keys.add(o.key()));
        }
        s3.deleteAll(keys);
        return held;
    }

    /**
     * Walks the tree below repositories/ one level per listing, as Distribution's catalog does: a prefix with
     * a {@code _manifests/} or {@code _layers/} child is a repository; nested repositories lie below it too.
     */
    @Override
    public List<String> repositories() {
        List<String> found = new ArrayList<>();
        walk(layout.repositories(), found);
        return found.stream().sorted().toList();
    }

    private void walk(String prefix, List<String> found) {
        for (String child : s3.list(prefix, true).prefixes()) {
            String leaf = child.substring(prefix.length(), child.length() - 1);
            if (leaf.equals("_manifests") || leaf.equals("_layers")) {
                String name = prefix.substring(layout.repositories().length(), prefix.length() - 1);
                if (!found.contains(name)) {
                    found.add(name);
                }
            } else if (!leaf.startsWith("_")) {
                walk(child, found);
            }
        }
    }

    @Override
    public void putReferrer(String repository, Digest subject, Digest referrer, byte[] descriptorJson) {
        s3.put(layout.referrer(repository, subject, referrer), descriptorJson);
    }

    @Override
    public void deleteReferrer(String repository, Digest subject, Digest referrer) {
        s3.delete(layout.referrer(repository, subject, referrer));
    }

    @Override
    public List<byte[]> referrers(String repository, Digest subject) {
        List<byte[]> descriptors = new ArrayList<>();
        for (S3Object object : s3.list(layout.referrers(repository, subject), true).objects()) {
            byte[] descriptor = s3.bytes(object.key());
            if (descriptor != null) {
                descriptors.add(descriptor);
            }
        }
        return descriptors;
    }

    @Override
    public List<BlobLink> blobLinks(String repository) {
        List<BlobLink> links = new ArrayList<>();
        String prefix = layout.layers(repository);
        for (S3Object object : s3.list(prefix, false).objects()) {
            Digest digest = digestAt(object.key().substring(prefix.length()));
            if (digest != null) {
                links.add(new BlobLink(digest, object.lastModified()));
            }
        }
        return links;
    }

    @Override
    public Instant linkedAt(String repository, Digest digest) {
        var head = s3.head(layout.layerLink(repository, digest));
        return head == null ? null : head.lastModified();
    }

    @Override
    public List<ManifestRevision> manifestRevisions(String repository) {
        List<ManifestRevision> revisions = new ArrayList<>();
        String prefix = layout.manifests(repository) + "revisions/";
        for (S3Object object : s3.list(prefix, false).objects()) {
            Digest digest = digestAt(object.key().substring(prefix.length()));
            String mediaType = digest == null ? null : text(object.key());
            if (mediaType != null) {
                revisions.add(new ManifestRevision(digest, mediaType, object.lastModified()));
            }
        }
        return revisions;
    }

    @Override
    public List<TagEntry> tagEntries(String repository) {
        List<TagEntry> entries = new ArrayList<>();
        String prefix = layout.tags(repository);
        for (S3Object object : s3.list(prefix, true).objects()) {
            String digest = text(object.key());
            if (digest != null && Digest.isValid(digest)) {
                entries.add(new TagEntry(object.key().substring(prefix.length()), Digest.parse(digest), object.lastModified()));
            }
        }
        entries.sort(java.util.Comparator.comparing(TagEntry::tag));
        return entries;
    }

    /** The digest a key below a links or revisions prefix names ({@code <alg>/<hex>}), or null. */
    private static Digest digestAt(String rest) {
        int slash = rest.indexOf('/');
        String text = slash < 0 ? "" : rest.substring(0, slash) + ":" + rest.substring(slash + 1);
        return Digest.isValid(text) ? Digest.parse(text) : null;
    }

    private String text(String key) {
        byte[] bytes = s3.bytes(key);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8).trim();
    }
}
