package dev.registrymesh.registry.lifecycle;

import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.registry.gc.WriteBarrier;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The registry's {@link Admission}: collection barrier outside, quota inside, immutable tags before both. */
public final class MeshAdmission implements Admission {
    private final WriteBarrier barrier;
    private final QuotaGuard quota;
    private final PolicySource policies;

    public MeshAdmission(WriteBarrier barrier, QuotaGuard quota, PolicySource policies) {
        this.barrier = barrier;
        this.quota = quota;
        this.policies = policies;
    }

    @Override
    public <T> T write(String repository, Collection<Digest> reachable, Map<Digest, Long> added, Supplier<T> work) {
        return barrier.write(reachable, () -> quota.admit(repository, added, work));
    }

    @Override
    public void checkNewContent(String repository) {
        quota.checkNewRepository(repository);
    }

    @Override
    public void checkTagChange(String repository, String tag, Digest current, Digest next) {
        if (current != null && !current.equals(next)) {
            immutableRule(repository, tag).ifPresent(rule -> {
                throw denied(repository, tag, rule, "cannot be overwritten");
            });
        }
    }

    @Override
    public void checkTagDelete(String repository, String tag) {
        immutableRule(repository, tag).ifPresent(rule -> {
            throw denied(repository, tag, rule, "cannot be deleted");
        });
    }

    @Override
    public void removed(String repository) {
        quota.removed(repository);
    }

    /** The rule that makes {@code tag} of {@code repository} immutable, if one does. */
    public Optional<NamespacePolicy.ImmutableRule> immutableRule(String repository, String tag) {
        String namespace = RepositoryName.of(repository).namespace();
        if (namespace == null) {
            return Optional.empty();
        }
        return policies.policy(namespace).immutable().stream().filter(r -> r.covers(repository, tag)).findFirst();
    }

    private static OciException denied(String repository, String tag, NamespacePolicy.ImmutableRule rule, String what) {
        return new OciException(ErrorCode.DENIED, "tag '" + tag + "' of " + repository + " is immutable (" + rule.describe()
                + "): it " + what, Map.of("repository", repository, "tag", tag, "rule", rule.describe()));
    }
}
