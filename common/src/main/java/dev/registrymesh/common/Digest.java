package dev.registrymesh.common;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A content digest such as {@code sha256:<64 lowercase hex>}. Only the algorithms the OCI image
 * spec registers are accepted: sha256 and sha512.
 */
public record Digest(Algorithm algorithm, String hex) implements Comparable<Digest> {

    public enum Algorithm {
        SHA256("sha256", "SHA-256", 64),
        SHA512("sha512", "SHA-512", 128);

        private final String id;
        private final String jcaName;
        private final int hexLength;

        Algorithm(String id, String jcaName, int hexLength) {
            this.id = id;
            this.jcaName = jcaName;
            this.hexLength = hexLength;
        }

        public String id() {
            return id;
        }

        public int hexLength() {
            return hexLength;
        }

        public MessageDigest newMessageDigest() {
            try {
                return MessageDigest.getInstance(jcaName);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JVM lacks " + jcaName, e);
            }
        }

        /** The algorithm named {@code id} ("sha256", "sha512"), or an {@link IllegalArgumentException}. */
        public static Algorithm of(String id) {
            for (Algorithm a : values()) {
                if (a.id.equals(id)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unsupported digest algorithm: " + id);
        }
    }

    public Digest {
        if (algorithm == null || hex == null || hex.length() != algorithm.hexLength || !isLowerHex(hex)) {
            throw new IllegalArgumentException("invalid " + (algorithm == null ? "" : algorithm.id + " ") + "digest hex: " + hex);
        }
    }

    /** Parses {@code algorithm:hex}; throws {@link IllegalArgumentException} with a readable message. */
    public static Digest parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing digest");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("invalid digest: " + text);
        }
        return new Digest(Algorithm.of(text.substring(0, colon)), text.substring(colon + 1));
    }

    /** True when {@code text} parses as a digest. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static Digest of(Algorithm algorithm, byte[] rawHash) {
        return new Digest(algorithm, HexFormat.of().formatHex(rawHash));
    }

    /** The digest of {@code content} under {@code algorithm}. For small content only; blobs stream. */
    public static Digest compute(Algorithm algorithm, byte[] content) {
        return of(algorithm, algorithm.newMessageDigest().digest(content));
    }

    public static Digest sha256(byte[] content) {
        return compute(Algorithm.SHA256, content);
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return algorithm.id + ":" + hex;
    }

    /** Lowercase algorithm id, for callers that build paths. */
    public String algorithmId() {
        return algorithm.id.toLowerCase(Locale.ROOT);
    }
}
