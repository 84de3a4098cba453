package dev.registrymesh.auth.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The live keys: all are published (JWKS and PEM) so tokens of older keys stay valid, and the newest one that
 * has been published for at least the activation delay signs. The delay lets every node of a shared key
 * directory pick a new key up (and registries see it in the JWKS) before any token signed with it exists.
 */
public final class KeyRing {
    private final List<SigningKey> keys;
    private final SigningKey signing;
    private final String jwks;
    private final String certificatesPem;

    /** A ring whose newest key signs at once (one node, or keys made before it started). */
    public KeyRing(List<SigningKey> newestFirst) {
        this(newestFirst, Instant.MAX, Duration.ZERO);
    }

    /**
     * @param now        when the ring is made
     * @param activation how long a key is published before it signs; when every key is younger, the oldest signs
     */
    public KeyRing(List<SigningKey> newestFirst, Instant now, Duration activation) {
        if (newestFirst.isEmpty()) {
            throw new IllegalArgumentException("a key ring needs at least one key");
        }
        this.keys = List.copyOf(newestFirst);
        SigningKey chosen = keys.get(keys.size() - 1);
        for (SigningKey k : keys) {
            if (!k.created().plus(activation).isAfter(now)) {
                chosen = k;
                break;
            }
        }
        this.signing = chosen;
        List<JsonWebKey> jwks = new ArrayList<>();
        StringBuilder pem = new StringBuilder();
        for (SigningKey k : keys) {
            try {
                PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(k.publicKey());
                jwk.setKeyId(k.kid());
                jwk.setAlgorithm(k.algorithm());
                jwk.setUse("sig");
                jwk.setCertificateChain(k.certificate());
                jwks.add(jwk);
                pem.append(Pem.encode("CERTIFICATE", k.certificate().getEncoded()));
            } catch (JoseException | java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        this.jwks = new JsonWebKeySet(jwks).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        this.certificatesPem = pem.toString();
    }

    public SigningKey signing() {
        return signing;
    }

    public List<SigningKey> keys() {
        return keys;
    }

    /** {@code {"keys":[...]}} with kid, alg, use and x5c for every live key. */
    public String jwks() {
        return jwks;
    }

    /** The certificates of all live keys, for a registry's root certificate bundle. */
    public String certificatesPem() {
        return certificatesPem;
    }
}
