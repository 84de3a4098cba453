package dev.registrymesh.auth.keys;

import java.util.ArrayList;
import java.util.List;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/** The live keys: the newest signs, all are published (JWKS and PEM) so tokens of older keys stay valid. */
public final class KeyRing {
    private final List<SigningKey> keys;
    private final String jwks;
    private final String certificatesPem;

    public KeyRing(List<SigningKey> newestFirst) {
        if (newestFirst.isEmpty()) {
            throw new IllegalArgumentException("a key ring needs at least one key");
        }
        this.keys = List.copyOf(newestFirst);
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
        return keys.get(0);
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
