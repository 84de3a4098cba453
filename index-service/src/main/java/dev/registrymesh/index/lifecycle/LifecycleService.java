package dev.registrymesh.index.lifecycle;

import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.access.Permissions;
import dev.registrymesh.index.account.Guards;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.model.NamespacePolicy;
import dev.registrymesh.index.model.RepositoryRecord;
import dev.registrymesh.index.repo.RegistryContent;
import dev.registrymesh.index.repo.RepositoryService;
import dev.registrymesh.index.store.IndexStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Quotas, retention rules and immutable tag rules of namespaces. Who may do what: members of the namespace (its user,
 * an org's owners and team members, its robots) and admins read; owners and admins set retention and immutable tags;
 * only admins set quotas (a quota its owner could raise would bound nothing). After a change the registry is told to
 * read the settings again (best effort: otherwise its cache expires within MESH_REGISTRY_POLICY_CACHE_TTL).
 */
@ApplicationScoped
public class LifecycleService {
    private static final Pattern TAG_GLOB = Pattern.compile("[A-Za-z0-9_.*?-]{1,128}");

    @Inject
    IndexStore store;
    @Inject
    Permissions permissions;
    @Inject
    RegistryContent registry;

    public NamespacePolicy policy(String namespace) {
        return store.policies().get(namespace).orElse(NamespacePolicy.none(namespace));
    }

    /** The quota and the usage the registry measures. */
    public Map<String, Object> quota(Caller caller, String namespace) {
        requireMember(caller, namespace);
        NamespacePolicy policy = policy(namespace);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("namespace", namespace);
        body.put("quotaBytes", policy.quotaBytes());
        body.put("maxRepositories", policy.maxRepositories());
        try {
            Map<String, Object> usage = registry.usage(namespace);
            body.put("usedBytes", usage.get("usedBytes"));
            body.put("repositories", usage.get("repositories"));
            body.put("blobs", usage.get("blobs"));
        } catch (ApiException unavailable) {
            body.put("usedBytes", null); // the registry measures usage; the settings are still worth showing
            body.put("usageError", unavailable.getMessage());
        }
        return body;
    }

    public NamespacePolicy setQuota(Caller caller, String namespace, Long quotaBytes, Integer maxRepositories) {
        Guards.requireAdmin(caller);
        requireExists(namespace);
        if ((quotaBytes != null && quotaBytes < 0) || (maxRepositories != null && maxRepositories < 0)) {
            throw ApiException.invalid("quotaBytes and maxRepositories must be >= 0 (or null: no limit)");
        }
        return save(namespace, policy(namespace).withQuota(quotaBytes, maxRepositories));
    }

    public List<NamespacePolicy.RetentionRule> retention(Caller caller, String namespace) {
        requireMember(caller, namespace);
        return policy(namespace).retention();
    }

    public List<NamespacePolicy.RetentionRule> setRetention(Caller caller, String namespace, List<NamespacePolicy.RetentionRule> rules) {
        requireOwner(caller, namespace);
        List<NamespacePolicy.RetentionRule> checked = new ArrayList<>();
        for (NamespacePolicy.RetentionRule r : rules == null ? List.<NamespacePolicy.RetentionRule>of() : rules) {
            requireRepositoryOf(namespace, r.repository());
            requirePattern(r.tagPattern());
            for (Integer n : new Integer[]{r.keepLast(), r.unpushedDays(), r.unpulledDays(), r.untaggedDays()}) {
                if (n != null && n < 0) {
                    throw ApiException.invalid("keepLast and the day counts must be >= 0");
                }
            }
            if (r.keepLast() == null && r.unpushedDays() == null && r.unpulledDays() == null && r.untaggedDays() == null) {
                throw ApiException.invalid("a retention rule needs keepLast, unpushedDays, unpulledDays or untaggedDays");
            }
            checked.add(new NamespacePolicy.RetentionRule(id(r.id()), blankToNull(r.repository()), r.tagPattern() == null ? "*" : r.tagPattern(),
                    r.keepLast(), r.unpushedDays(), r.unpulledDays(), r.untaggedDays()));
        }
        return save(namespace, policy(namespace).withRetention(checked)).retention();
    }

    public Map<String, Object> retentionPreview(Caller caller, String namespace) {
        requireMember(caller, namespace);
        return registry.retentionPreview(namespace);
    }

    public List<NamespacePolicy.ImmutableRule> immutable(Caller caller, String namespace) {
        requireMember(caller, namespace);
        return policy(namespace).immutable();
    }

    public List<NamespacePolicy.ImmutableRule> setImmutable(Caller caller, String namespace, List<NamespacePolicy.ImmutableRule> rules) {
        requireOwner(caller, namespace);
        return save(namespace, policy(namespace).withImmutable(checkImmutable(namespace, rules))).immutable();
    }

    /** The immutable rules of one repository (those naming it). */
    public List<NamespacePolicy.ImmutableRule> repositoryImmutable(Caller caller, String repository) {
        String namespace = namespaceOf(repository);
        requireMember(caller, namespace);
        return policy(namespace).immutable().stream().filter(r -> repository.equals(r.repository())).toList();
    }

    /** Replaces the rules naming {@code repository} by one rule per pattern. */
    public List<NamespacePolicy.ImmutableRule> setRepositoryImmutable(Caller caller, String repository, List<String> patterns) {
        String namespace = namespaceOf(repository);
        requireOwner(caller, namespace);
        List<NamespacePolicy.ImmutableRule> rules = new ArrayList<>(policy(namespace).immutable().stream()
                .filter(r -> !repository.equals(r.repository())).toList());
        for (String pattern : patterns == null ? List.<String>of() : patterns) {
            rules.add(new NamespacePolicy.ImmutableRule(null, repository, pattern));
        }
        save(namespace, policy(namespace).withImmutable(checkImmutable(namespace, rules)));
        return repositoryImmutable(caller, repository);
    }

    /** What registry-service reads: the settings, plus the last pull of each tag when a rule looks at pulls. */
    public Map<String, Object> internalView(String namespace) {
        NamespacePolicy policy = policy(namespace);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("namespace", namespace);
        body.put("quotaBytes", policy.quotaBytes());
        body.put("maxRepositories", policy.maxRepositories());
        body.put("retention", policy.retention());
        body.put("immutable", policy.immutable());
        Map<String, Map<String, Instant>> pulls = new HashMap<>();
        if (policy.retention().stream().anyMatch(r -> r.unpulledDays() != null)) {
            for (RepositoryRecord r : store.repositories().all()) {
                if (r.namespace().equals(namespace) && !r.tagPulls().isEmpty()) {
                    pulls.put(r.fullName(), r.tagPulls());
                }
            }
        }
        body.put("tagPulls", pulls);
        return body;
    }

    private List<NamespacePolicy.ImmutableRule> checkImmutable(String namespace, List<NamespacePolicy.ImmutableRule> rules) {
        List<NamespacePolicy.ImmutableRule> checked = new ArrayList<>();
        for (NamespacePolicy.ImmutableRule r : rules == null ? List.<NamespacePolicy.ImmutableRule>of() : rules) {
            requireRepositoryOf(namespace, r.repository());
            requirePattern(r.tagPattern());
            checked.add(new NamespacePolicy.ImmutableRule(id(r.id()), blankToNull(r.repository()), r.tagPattern() == null ? "*" : r.tagPattern()));
        }
        return checked;
    }

    private NamespacePolicy save(String namespace, NamespacePolicy policy) {
        store.policies().put(namespace, policy);
        registry.policyChanged(namespace);
        return policy;
    }

    private static String id(String id) {
        return id == null || id.isBlank() ? UUID.randomUUID().toString().substring(0, 8) : id;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static void requirePattern(String pattern) {
        if (pattern != null && !TAG_GLOB.matcher(pattern).matches()) {
            throw ApiException.invalid("tagPattern is a glob of tag characters, '*' and '?': " + pattern);
        }
    }

    private static void requireRepositoryOf(String namespace, String repository) {
        if (repository != null && !repository.isBlank()
                && (!RepositoryName.isValid(repository) || !RepositoryName.of(repository).isIn(namespace))) {
            throw ApiException.invalid("repository " + repository + " is not a repository of namespace " + namespace);
        }
    }

    private static String namespaceOf(String repository) {
        RepositoryService.requireName(repository);
        return RepositoryName.of(repository).namespace();
    }

    private void requireExists(String namespace) {
        if (!permissions.namespaceExists(namespace)) {
            throw ApiException.notFound("no such namespace: " + namespace);
        }
    }

    private void requireOwner(Caller caller, String namespace) {
        Guards.requireAccountManager(caller);
        requireMember(caller, namespace);
        if (!caller.admin() && !permissions.ownsNamespace(caller.subject(), namespace)) {
            throw ApiException.denied("only owners of '" + namespace + "' and admins change its rules");
        }
    }

    /** Members read; everyone else gets 404, so that the settings of private namespaces do not leak. */
    private void requireMember(Caller caller, String namespace) {
        Guards.requireSignedIn(caller);
        requireExists(namespace);
        if (caller.admin() || permissions.ownsNamespace(caller.subject(), namespace)) {
            return;
        }
        boolean robot = caller.robot() && store.robots().get(caller.subject()).filter(r -> r.namespace().equals(namespace)).isPresent();
        boolean teamMember = store.teams().all().stream().anyMatch(t -> t.org().equals(namespace) && t.members().contains(caller.subject()));
        if (!robot && !teamMember) {
            throw ApiException.notFound("no such namespace: " + namespace);
        }
    }

}
