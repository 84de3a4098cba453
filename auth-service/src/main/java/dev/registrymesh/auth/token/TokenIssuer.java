package dev.registrymesh.auth.token;

import dev.registrymesh.auth.keys.KeyRing;
import dev.registrymesh.auth.keys.SigningKey;
import dev.registrymesh.common.auth.Access;
import dev.registrymesh.common.auth.AccessClaim;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Signs tokens with smallrye-jwt-build: access tokens for registries (audience = the service) and refresh
 * tokens for this server only (audience = issuer + {@value #REFRESH_AUDIENCE_SUFFIX}, so no registry accepts
 * one as an access token). Header: {@code kid} = JWK thumbprint, {@code x5c} = the signing certificate.
 */
public final class TokenIssuer {
    public static final String REFRESH_AUDIENCE_SUFFIX = "#refresh";
    public static final String TOKEN_USE = "token_use";
    public static final String CREDENTIAL = "cred";
    /** What binds a refresh token to the account and credential it came from (index-service's stamp). */
    public static final String BINDING = "bnd";

    /** The current key ring (it changes when the key directory does). */
    private final Supplier<KeyRing> keys;
    private final String issuer;

    public TokenIssuer(Supplier<KeyRing> keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    public String issuer() {
        return issuer;
    }

    public String refreshAudience() {
        return issuer + REFRESH_AUDIENCE_SUFFIX;
    }

    public String accessToken(String subject, String service, List<Access> access, Instant now, Duration ttl) {
        return sign(true, Jwt.claims()
                .issuer(issuer)
                .claim("sub", subject == null ? "" : subject)
                .audience(service)
                .issuedAt(now.getEpochSecond())
                .claim("nbf", now.getEpochSecond())
                .expiresAt(now.plus(ttl).getEpochSecond())
                .claim("jti", UUID.randomUUID().toString())
                .claim("access", AccessClaim.write(access)));
    }

    public String refreshToken(String subject, String credential, String binding, Instant now, Duration ttl) {
        // No x5c: only this server reads refresh tokens, and they must fit a form field.
        return sign(false, Jwt.claims()
                .issuer(issuer)
                .subject(subject)
                .audience(refreshAudience())
                .issuedAt(now.getEpochSecond())
                .claim("nbf", now.getEpochSecond())
                .expiresAt(now.plus(ttl).getEpochSecond())
                .claim("jti", UUID.randomUUID().toString())
                .claim(TOKEN_USE, "refresh")
                .claim(CREDENTIAL, credential == null ? "password" : credential)
                .claim(BINDING, binding == null ? "" : binding));
    }

    private String sign(boolean withChain, io.smallrye.jwt.build.JwtClaimsBuilder claims) {
        SigningKey key = keys.get().signing();
        var jws = claims.jws().keyId(key.kid()).algorithm(SignatureAlgorithm.fromAlgorithm(key.algorithm()));
        if (withChain) {
            jws.chain(key.certificate());
        }
        return jws.sign(key.privateKey());
    }
}
