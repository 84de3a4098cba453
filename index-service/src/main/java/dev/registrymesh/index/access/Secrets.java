package dev.registrymesh.index.access;

import io.quarkus.elytron.security.common.BcryptUtil;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Hashing and generation of secrets. Passwords (low entropy) get bcrypt; generated tokens and robot secrets
 * (256 random bits) get SHA-256, which is as safe for them and fast enough to check on every request.
 */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A valid bcrypt hash of nothing anyone knows, checked against for unknown users so timing says nothing. */
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash(random(16));

    private Secrets() {
    }

    public static String hashPassword(String password) {
        return BcryptUtil.bcryptHash(password);
    }

    public static boolean passwordMatches(String password, String hash) {
        return BcryptUtil.matches(password, hash == null ? DUMMY_HASH : hash);
    }

    /** URL-safe random text of {@code bytes} random bytes. */
    public static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Lowercase hex of {@code bytes} random bytes. */
    public static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of a presented secret with a stored SHA-256 hash. */
    public static boolean sha256Matches(String secret, String hash) {
        if (secret == null || hash == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(secret).getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII));
    }

    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
