package dev.registrymesh.registry.lifecycle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A namespace's lifecycle settings as index-service keeps them (its internal API
 * {@code GET /internal/v1/namespaces/<ns>/lifecycle}): quota, retention rules, immutable tag rules, and for
 * "not pulled for D days" rules the last pull of each tag.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NamespacePolicy(String namespace, Long quotaBytes, Integer maxRepositories, List<RetentionRule> retention,
                              List<ImmutableRule> immutable, Map<String, Map<String, Instant>> tagPulls) {
    public static NamespacePolicy none(String namespace) {
        return new NamespacePolicy(namespace, null, null, List.of(), List.of(), Map.of());
    }

    public NamespacePolicy {
        retention = retention == null ? List.of() : List.copyOf(retention);
        immutable = immutable == null ? List.of() : List.copyOf(immutable);
        tagPulls = tagPulls == null ? Map.of() : tagPulls;
    }

    /**
     * Retention: within the repositories it covers ({@code repository} null: all of the namespace), of the tags matching
     * {@code tagPattern}, keep the {@code keepLast} most recently pushed, remove those not pushed for
     * {@code unpushedDays} or not pulled for {@code unpulledDays}; remove untagged manifests after {@code untaggedDays}.
     * Every part is optional.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RetentionRule(String id, String repository, String tagPattern, Integer keepLast, Integer unpushedDays,
                                Integer unpulledDays, Integer untaggedDays) {
        public boolean covers(String repositoryPath) {
            return repository == null || repository.isEmpty() || repository.equals(repositoryPath);
        }

        public boolean matches(String tag) {
            return glob(tagPattern == null ? "*" : tagPattern).matcher(tag).matches();
        }
    }

    /** Tags matching {@code tagPattern} in {@code repository} (null: every repository of the namespace) are immutable. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ImmutableRule(String id, String repository, String tagPattern) {
        public boolean covers(String repositoryPath, String tag) {
            return (repository == null || repository.isEmpty() || repository.equals(repositoryPath))
                    && glob(tagPattern == null ? "*" : tagPattern).matcher(tag).matches();
        }

        public String describe() {
            return "immutable tag rule " + (id == null ? "" : id + " ") + "'" + (tagPattern == null ? "*" : tagPattern) + "'"
                    + (repository == null || repository.isEmpty() ? "" : " of " + repository);
        }
    }

    /** A glob: {@code *} any run of characters, {@code ?} one; everything else literal. */
    public static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
