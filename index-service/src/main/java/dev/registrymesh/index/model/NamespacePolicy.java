package dev.registrymesh.index.model;

import java.util.List;

/**
 * A namespace's storage lifecycle settings: a quota in bytes (each blob counted once per namespace), a limit on its
 * repositories, retention rules and immutable tag rules. Null limits mean none. Registry-service reads them through
 * the internal API; see {@code dev.registrymesh.registry.lifecycle.NamespacePolicy} for what each rule does.
 */
public record NamespacePolicy(String namespace, Long quotaBytes, Integer maxRepositories, List<RetentionRule> retention,
                              List<ImmutableRule> immutable) {
    public NamespacePolicy {
        retention = retention == null ? List.of() : List.copyOf(retention);
        immutable = immutable == null ? List.of() : List.copyOf(immutable);
    }

    public static NamespacePolicy none(String namespace) {
        return new NamespacePolicy(namespace, null, null, List.of(), List.of());
    }

    public NamespacePolicy withQuota(Long bytes, Integer repositories) {
        return new NamespacePolicy(namespace, bytes, repositories, retention, immutable);
    }

    public NamespacePolicy withRetention(List<RetentionRule> rules) {
        return new NamespacePolicy(namespace, quotaBytes, maxRepositories, rules, immutable);
    }

    public NamespacePolicy withImmutable(List<ImmutableRule> rules) {
        return new NamespacePolicy(namespace, quotaBytes, maxRepositories, retention, rules);
    }

    /** Keep the {@code keepLast} newest matching tags; remove those not pushed / not pulled for D days; untagged after D days. */
    public record RetentionRule(String id, String repository, String tagPattern, Integer keepLast, Integer unpushedDays,
                                Integer unpulledDays, Integer untaggedDays) {
    }

    /** Tags matching {@code tagPattern} (a glob: {@code *}, {@code ?}) in {@code repository} (null: all) are immutable. */
    public record ImmutableRule(String id, String repository, String tagPattern) {
    }
}
