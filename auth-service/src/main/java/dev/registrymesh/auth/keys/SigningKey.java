package dev.registrymesh.auth.keys;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * One signing key: the key pair, its self-signed certificate (for the JWT {@code x5c} header and the PEM
 * bundle CNCF Distribution trusts), and its {@code kid}, the RFC 7638 JWK thumbprint of the public key.
 */
public record SigningKey(String kid, String algorithm, PrivateKey privateKey, X509Certificate certificate, Instant created) {

    public PublicKey publicKey() {
        return certificate.getPublicKey();
    }

    /** RS256 for RSA keys, ES256 for P-256 keys. */
    public static String algorithmFor(PublicKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "RS256";
            case "EC" -> "ES256";
            default -> throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
        };
    }

    public static String thumbprint(PublicKey key) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(key).calculateBase64urlEncodedThumbprint("SHA-256");
        } catch (JoseException e) {
            throw new IllegalStateException("cannot compute the JWK thumbprint", e);
        }
    }

    public static SigningKey of(PrivateKey privateKey, X509Certificate certificate, Instant created) {
        PublicKey pub = certificate.getPublicKey();
        return new SigningKey(thumbprint(pub), algorithmFor(pub), privateKey, certificate, created);
    }
}
