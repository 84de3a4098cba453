package dev.registrymesh.index.model;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the index knows of one repository. {@code tags} maps tag to manifest digest, as the registry's
 * events report them; the tag count is its size.
 */
public record RepositoryRecord(String namespace, String name, Visibility visibility, String description,
                               Instant createdAt, Instant lastPushed, long pullCount, long starCount,
                               Map<String, String> tags, Map<String, Instant> tagPulls) {
    public RepositoryRecord {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        tagPulls = tagPulls == null ? Map.of() : Map.copyOf(tagPulls);
        description = description == null ? "" : description;
    }

    public RepositoryRecord(String namespace, String name, Visibility visibility, String description, Instant createdAt,
                            Instant lastPushed, long pullCount, long starCount, Map<String, String> tags) {
        this(namespace, name, visibility, description, createdAt, lastPushed, pullCount, starCount, tags, Map.of());
    }

    /** The full repository path, {@code namespace/name}. */
    public String fullName() {
        return namespace + "/" + name;
    }

    public boolean isPublic() {
        return visibility == Visibility.PUBLIC;
    }

    public RepositoryRecord withSettings(Visibility v, String d) {
        return new RepositoryRecord(namespace, name, v, d, createdAt, lastPushed, pullCount, starCount, tags, tagPulls);
    }

    public RepositoryRecord pushed(String tag, String digest, Instant when) {
        Map<String, String> next = new TreeMap<>(tags);
        if (tag != null && digest != null) {
            next.put(tag, digest);
        }
        Instant last = lastPushed == null || (when != null && when.isAfter(lastPushed)) ? when : lastPushed;
        return new RepositoryRecord(namespace, name, visibility, description, createdAt, last, pullCount, starCount, next, tagPulls);
    }

    public RepositoryRecord pulled() {
        return pulled(null, null);
    }

    /** One more pull; by tag, the tag's last pull time too (for retention's "not pulled for D days"). */
    public RepositoryRecord pulled(String tag, Instant when) {
        Map<String, Instant> pulls = tagPulls;
        if (tag != null && when != null && (tagPulls.get(tag) == null || when.isAfter(tagPulls.get(tag)))) {
            pulls = new TreeMap<>(tagPulls);
            pulls.put(tag, when);
        }
        return new RepositoryRecord(namespace, name, visibility, description, createdAt, lastPushed, pullCount + 1, starCount, tags, pulls);
    }

    /** Drops {@code tag}, or when it is null every tag that points at {@code digest}. */
    public RepositoryRecord deleted(String tag, String digest) {
        Map<String, String> next = new TreeMap<>(tags);
        if (tag != null) {
            next.remove(tag);
        } else if (digest != null) {
            next.values().removeIf(digest::equals);
        }
        return new RepositoryRecord(namespace, name, visibility, description, createdAt, lastPushed, pullCount, starCount, next, tagPulls);
    }
}
