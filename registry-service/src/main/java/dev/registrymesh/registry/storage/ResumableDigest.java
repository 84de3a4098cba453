package dev.registrymesh.registry.storage;

import dev.registrymesh.common.Digest;
import java.nio.ByteBuffer;
import org.bouncycastle.crypto.digests.EncodableDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

/**
 * A running SHA-256 or SHA-512 whose state can be saved and resumed elsewhere. An upload session's chunks may
 * reach different registry nodes; the JDK's MessageDigest cannot export its state, Bouncy Castle's digests can
 * ({@code getEncodedState()} and the constructor taking it), so the state is stored with the session after
 * each chunk and the next node carries on from it without reading the bytes again.
 */
public final class ResumableDigest {
    private static final int COPY_BUFFER = 64 * 1024;
    private final Digest.Algorithm algorithm;
    private final org.bouncycastle.crypto.Digest digest;

    private ResumableDigest(Digest.Algorithm algorithm, org.bouncycastle.crypto.Digest digest) {
        this.algorithm = algorithm;
        this.digest = digest;
    }

    /** A digest of nothing yet. */
    public static ResumableDigest start(Digest.Algorithm algorithm) {
        return new ResumableDigest(algorithm, switch (algorithm) {
            case SHA256 -> new SHA256Digest();
            case SHA512 -> new SHA512Digest();
        });
    }

    /** Resumes from {@link #state()}; an empty state is a fresh digest. */
    public static ResumableDigest resume(Digest.Algorithm algorithm, byte[] state) {
        if (state == null || state.length == 0) {
            return start(algorithm);
        }
        return new ResumableDigest(algorithm, switch (algorithm) {
            case SHA256 -> new SHA256Digest(state);
            case SHA512 -> new SHA512Digest(state);
        });
    }

    public Digest.Algorithm algorithm() {
        return algorithm;
    }

    public void update(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
    }

    public void update(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            digest.update(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            buffer.position(buffer.limit());
            return;
        }
        byte[] chunk = new byte[Math.min(COPY_BUFFER, buffer.remaining())];
        while (buffer.hasRemaining()) {
            int n = Math.min(chunk.length, buffer.remaining());
            buffer.get(chunk, 0, n);
            digest.update(chunk, 0, n);
        }
    }

    /** The running state, to store with the session; the digest goes on unchanged. */
    public byte[] state() {
        return ((EncodableDigest) digest).getEncodedState();
    }

    /** A copy that goes on independently (a checkpoint before a chunk that may be rolled back). */
    public ResumableDigest copy() {
        return resume(algorithm, state());
    }

    /** Finishes the digest (the object is reset afterwards). */
    public Digest finish() {
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return Digest.of(algorithm, out);
    }
}
