package dev.registrymesh.registry.blob;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.registrymesh.common.Digest;
import dev.registrymesh.registry.storage.UploadSession;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * The running digests of the upload sessions whose last chunk this node took, in memory only: the JDK's
 * {@link MessageDigest} cannot be saved with the session, so the node that took a chunk keeps it to go on with
 * the next chunk at once. Each entry says how many bytes it covers; a session that has grown since (another
 * node took a chunk) or whose entry went (evicted, expired, node restarted) has its digest rebuilt from its
 * stored bytes. Bounded in count (an entry is a few hundred bytes) and expiring, so abandoned sessions cost
 * nothing for long.
 */
final class LiveDigests {
    static final int MAX_SESSIONS = 10_000;
    static final Duration IDLE = Duration.ofMinutes(30);

    private record Live(Digest.Algorithm algorithm, long size, MessageDigest digest) {
    }

    private final Cache<String, Live> live = Caffeine.newBuilder()
            .maximumSize(MAX_SESSIONS)
            .expireAfterAccess(IDLE)
            .build();

    /**
     * A copy of the running digest of {@code session}'s bytes, when this node holds one that covers exactly
     * them; else null. The entry stays: a chunk that fails does not spoil it.
     */
    MessageDigest copyOf(UploadSession session) {
        Live entry = live.getIfPresent(session.uuid());
        if (entry == null || entry.size() != session.size() || entry.algorithm() != session.algorithm()) {
            return null;
        }
        return copy(entry.digest()); // entries are never written after put: copying needs no lock
    }

    /** Keeps {@code digest}, which covers the first {@code size} bytes of session {@code uuid}; the caller lets go of it. */
    void put(String uuid, Digest.Algorithm algorithm, long size, MessageDigest digest) {
        live.put(uuid, new Live(algorithm, size, digest));
    }

    void forget(String uuid) {
        live.invalidate(uuid);
    }

    /** A copy that goes on independently. */
    static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(digest.getAlgorithm() + " of " + digest.getProvider() + " cannot be copied", e);
        }
    }

    /** The digest of what {@code running} has taken so far; {@code running} goes on unchanged. */
    static Digest peek(Digest.Algorithm algorithm, MessageDigest running) {
        return Digest.of(algorithm, copy(running).digest());
    }
}
