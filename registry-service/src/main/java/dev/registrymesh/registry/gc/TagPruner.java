package dev.registrymesh.registry.gc;

import dev.registrymesh.registry.storage.RepositoryStore;
import java.time.Instant;
import java.util.List;

/**
 * The step before the mark that removes tags by rule (retention). Untagged manifests it leaves behind are then
 * ordinary garbage of the same run.
 */
@FunctionalInterface
public interface TagPruner {
    TagPruner NONE = (repository, tags, revisions, now) -> Plan.KEEP_ALL;

    /** What the rules of the repository remove: tags, and untagged manifests (by digest text). */
    record Plan(List<String> tags, List<String> untaggedManifests, boolean rulesApply) {
        public static final Plan KEEP_ALL = new Plan(List.of(), List.of(), false);
    }

    Plan plan(String repository, List<RepositoryStore.TagEntry> tags, List<RepositoryStore.ManifestRevision> revisions, Instant now);
}
