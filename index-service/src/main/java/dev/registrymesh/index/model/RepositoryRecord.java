package dev.registrymesh.index.model;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the index knows of one repository. {@code tags} maps tag to manifest digest, as the registry's
 * events report them; the tag count is its size. {@code tagsPushedAt} maps tag to its last push (records
 * written before it existed have none: the console lists those tags last), {@code tagPulls} tag to its last pull
 * by tag (for retention's "not pulled for D days").
 */
public record RepositoryRecord(String namespace, String name, Visibility visibility, String description,
                               Instant createdAt, Instant lastPushed, long pullCount, long starCount,
                               Map<String, String> tags, Map<String, Instant> tagsPushedAt, Map<String, Instant> tagPulls) {
    public RepositoryRecord {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        tagsPushedAt = tagsPushedAt == null ? Map.of() : Map.copyOf(tagsPushedAt);
        tagPulls = tagPulls == null ? Map.of() : Map.copyOf(tagPulls);
        description = description == null ? "" : description;
    }

    public RepositoryRecord(String namespace, String name, Visibility visibility, String description, Instant createdAt,
                            Instant lastPushed, long pullCount, long starCount, Map<String, String> tags) {
        this(namespace, name, visibility, description, createdAt, lastPushed, pullCount, starCount, tags, Map.of(), Map.of());
    }

    /** The full repository path, {@code namespace/name}. */
    public String fullName() {
        return namespace + "/" + name;
    }

    public boolean isPublic() {
        return visibility == Visibility.PUBLIC;
    }

    public RepositoryRecord withSettings(Visibility v, String d) {
        return new RepositoryRecord(namespace, name, v, d, createdAt, lastPushed, pullCount, starCount, tags, tagsPushedAt, tagPulls);
    }

    public RepositoryRecord pushed(String tag, String digest, Instant when) {
        Map<String, String> next = new TreeMap<>(tags);
        Map<String, Instant> times = new TreeMap<>(tagsPushedAt);
        if (tag != null && digest != null) {
            next.put(tag, digest);
            if (when != null) {
                times.put(tag, when);
            }
        }
        Instant last = lastPushed == null || (when != null && when.isAfter(lastPushed)) ? when : lastPushed;
        return new RepositoryRecord(namespace, name, visibility, description, createdAt, last, pullCount, starCount, next, times, tagPulls);
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
        return new RepositoryRecord(namespace, name, visibility, description, createdAt, lastPushed, pullCount + 1, starCount, tags,
                tagsPushedAt, pulls);
    }

    /** Drops {@code tag}, or when it is null every tag that points at {@code digest}. */
    public RepositoryRecord deleted(String tag, String digest) {
        Map<String, String> next = new TreeMap<>(tags);
        if (tag != null) {
            next.remove(tag);
        } else if (digest != null) {
            next.values().removeIf(digest::equals);
        }
        Map<String, Instant> times = new TreeMap<>(tagsPushedAt);
        times.keySet().retainAll(next.keySet());
        Map<String, Instant> pulls = new TreeMap<>(tagPulls);
        pulls.keySet().retainAll(next.keySet());
        return new RepositoryRecord(namespace, name, visibility, description, createdAt, lastPushed, pullCount, starCount, next, times,
                pulls);
    }
}
