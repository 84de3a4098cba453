package dev.registrymesh.registry.lifecycle;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.registry.gc.TagPruner;
import dev.registrymesh.registry.storage.RepositoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a namespace's retention rules to one repository (a {@link TagPruner}: the collection runs it before its
 * mark). Within one rule the conditions add up: a matching tag goes when it is beyond the {@code keepLast} most
 * recently pushed, or not pushed for {@code unpushedDays}, or not pulled (nor pushed) for {@code unpulledDays}. A tag
 * that an immutable rule covers is never removed. Untagged manifests (once the removed tags are gone) older than
 * {@code untaggedDays} are listed for removal; the collection still keeps those an index or a kept manifest needs.
 */
public final class RetentionPlanner implements TagPruner {
    private final PolicySource policies;

    public RetentionPlanner(PolicySource policies) {
        this.policies = policies;
    }

    @Override
    public Plan plan(String repository, List<RepositoryStore.TagEntry> tags, List<RepositoryStore.ManifestRevision> revisions, Instant now) {
        if (!RepositoryName.isValid(repository) || RepositoryName.of(repository).namespace() == null) {
            return Plan.KEEP_ALL;
        }
        NamespacePolicy policy = policies.policy(RepositoryName.of(repository).namespace());
        List<NamespacePolicy.RetentionRule> rules = policy.retention().stream().filter(r -> r.covers(repository)).toList();
        if (rules.isEmpty()) {
            return Plan.KEEP_ALL;
        }
        Map<String, Instant> pulls = policy.tagPulls().getOrDefault(repository, Map.of());
        Set<String> removed = new LinkedHashSet<>();
        Integer untaggedDays = null;
        for (NamespacePolicy.RetentionRule rule : rules) {
            List<RepositoryStore.TagEntry> matching = tags.stream()
                    .filter(t -> rule.matches(t.tag()))
                    .filter(t -> policy.immutable().stream().noneMatch(i -> i.covers(repository, t.tag())))
                    .sorted(Comparator.comparing(RepositoryStore.TagEntry::pushedAt).reversed().thenComparing(RepositoryStore.TagEntry::tag))
                    .toList();
            for (int i = 0; i < matching.size(); i++) {
                RepositoryStore.TagEntry tag = matching.get(i);
                Instant lastUse = tag.pushedAt();
                Instant pulled = pulls.get(tag.tag());
                if (pulled != null && pulled.isAfter(lastUse)) {
                    lastUse = pulled;
                }
                if ((rule.keepLast() != null && i >= rule.keepLast())
                        || olderThan(tag.pushedAt(), rule.unpushedDays(), now)
                        || olderThan(lastUse, rule.unpulledDays(), now)) {
                    removed.add(tag.tag());
                }
            }
            if (rule.untaggedDays() != null) {
                untaggedDays = untaggedDays == null ? rule.untaggedDays() : Math.min(untaggedDays, rule.untaggedDays());
            }
        }
        List<String> untagged = new ArrayList<>();
        if (untaggedDays != null) {
            Set<Digest> tagged = new HashSet<>();
            tags.stream().filter(t -> !removed.contains(t.tag())).forEach(t -> tagged.add(t.digest()));
            for (RepositoryStore.ManifestRevision revision : revisions) {
                if (!tagged.contains(revision.digest()) && olderThan(revision.putAt(), untaggedDays, now)) {
                    untagged.add(revision.digest().toString());
                }
            }
        }
        return new Plan(List.copyOf(removed), untagged, true);
    }

    private static boolean olderThan(Instant when, Integer days, Instant now) {
        return days != null && when.isBefore(now.minus(Duration.ofDays(days)));
    }
}
