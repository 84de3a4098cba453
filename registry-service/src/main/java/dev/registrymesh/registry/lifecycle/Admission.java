package dev.registrymesh.registry.lifecycle;

import dev.registrymesh.common.Digest;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What every write of content passes through: the garbage collection's write barrier, the namespace's quotas and
 * its immutable tags. The blob and manifest services call it; {@link #NONE} lets everything through (tests, tools).
 */
public interface Admission {

    /**
     * Runs {@code work}, a write into {@code repository} that makes {@code reachable} reachable and adds
     * {@code added} (digest to size in bytes) to the repository. Throws DENIED when that would exceed a quota.
     */
    <T> T write(String repository, Collection<Digest> reachable, Map<Digest, Long> added, Supplier<T> work);

    /** Before an upload starts: refuses a new repository beyond the namespace's repository limit. */
    void checkNewContent(String repository);

    /** Before {@code tag} moves from {@code current} (null: new) to {@code next}: refuses it for an immutable tag. */
    void checkTagChange(String repository, String tag, Digest current, Digest next);

    /** Before {@code tag} is deleted (alone or with its manifest): refuses it for an immutable tag. */
    void checkTagDelete(String repository, String tag);

    /** Content left {@code repository} (usage accounting). */
    void removed(String repository);

    Admission NONE = new Admission() {
        @Override
        public <T> T write(String repository, Collection<Digest> reachable, Map<Digest, Long> added, Supplier<T> work) {
            return work.get();
        }

        @Override
        public void checkNewContent(String repository) {
        }

        @Override
        public void checkTagChange(String repository, String tag, Digest current, Digest next) {
        }

        @Override
        public void checkTagDelete(String repository, String tag) {
        }

        @Override
        public void removed(String repository) {
        }
    };
}
