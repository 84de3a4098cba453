package dev.registrymesh.common.auth;

import java.security.Key;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Verifies registry tokens (Docker token specification JWTs) locally, with keys from a {@link JwksCache}.
 * Plain class, thread-safe, no framework: registry-service and mirror-service both use it.
 *
 * <p>Only RS256 and ES256 are accepted, and the algorithm is checked before any key is looked up, so
 * {@code alg: none} and HS256 tokens "signed" with a public key fail whatever their {@code kid}. {@code exp}
 * is required; {@code nbf} and {@code iat} are checked when present; all with a small clock skew.
 */
public final class TokenVerifier {
    public static final Set<String> ALLOWED_ALGORITHMS = Set.of(AlgorithmIdentifiers.RSA_USING_SHA256,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);

    private final JwksCache keys;
    private final String issuer;
    private final int clockSkewSeconds;
    private final Clock clock;

    public TokenVerifier(JwksCache keys, String issuer, int clockSkewSeconds, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.clockSkewSeconds = clockSkewSeconds;
        this.clock = clock;
    }

    public TokenVerifier(JwksCache keys, String issuer) {
        this(keys, issuer, 30, Clock.systemUTC());
    }

    public JwksCache keys() {
        return keys;
    }

    /**
     * Verifies with the keys at hand; never blocks. A result of {@link TokenFailure#UNKNOWN_KEY} or
     * {@link TokenFailure#KEYS_UNAVAILABLE} while {@link #needsFetch} is true means: call {@link #verify}
     * on a thread that may block.
     */
    public TokenVerification verifyCached(String token, String audience) {
        return check(token, audience);
    }

    /**
     * True when {@link #verify} would fetch keys for this result, or wait for a fetch in flight: worth moving off
     * an event loop. (Requests that arrive together at a fresh start all find no keys while the first one fetches
     * them; they must wait for those keys rather than be refused.)
     */
    public boolean needsFetch(TokenVerification cachedResult) {
        if (keys.refreshDue()) {
            return true;
        }
        TokenFailure f = cachedResult.failure();
        if (f == TokenFailure.KEYS_UNAVAILABLE && !keys.keys().isEmpty()) {
            return true; // the keys came in after the cached check
        }
        return isKeyFailure(f) && (keys.refetchAllowed() || keys.fetching());
    }

    /**
     * Verifies, fetching the JWKS first when it is due and again once when the token's key is unknown (or waiting
     * for another thread's fetch in flight). May block.
     */
    public TokenVerification verify(String token, String audience) {
        if (keys.refreshDue()) {
            keys.refresh();
        }
        TokenVerification result = check(token, audience);
        if (isKeyFailure(result.failure())) {
            // Whether this call fetched or waited for another thread's fetch, the keys may be new now.
            keys.refresh();
            result = check(token, audience);
        }
        return result;
    }

    private static boolean isKeyFailure(TokenFailure f) {
        return f == TokenFailure.UNKNOWN_KEY || f == TokenFailure.KEYS_UNAVAILABLE;
    }

    private TokenVerification check(String token, String audience) {
        if (token == null || token.isEmpty() || token.length() > 16384) {
            return TokenVerification.invalid(TokenFailure.MALFORMED, "empty or overlong token");
        }
        List<JsonWebKey> trusted = keys.keys();
        KeyResolver resolver = new KeyResolver(trusted);
        long now = clock.millis() / 1000;
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setEvaluationTime(NumericDate.fromSeconds(now))
                .setAllowedClockSkewInSeconds(clockSkewSeconds)
                .setRequireExpirationTime()
                .setExpectedIssuer(issuer)
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        ALLOWED_ALGORITHMS.toArray(String[]::new)))
                .setVerificationKeyResolver(resolver)
                .registerValidator(issuedAtNotInFuture(now));
        if (audience != null) {
            builder.setExpectedAudience(audience);
        } else {
            builder.setSkipDefaultAudienceValidation();
        }
        JwtConsumer consumer = builder.build();
        JwtClaims claims;
        try {
            JwtContext context = consumer.process(token);
            claims = context.getJwtClaims();
        } catch (InvalidJwtException e) {
            if (resolver.failure != null) {
                if (resolver.failure == TokenFailure.UNKNOWN_KEY && trusted.isEmpty()) {
                    return TokenVerification.invalid(TokenFailure.KEYS_UNAVAILABLE,
                            "no verification keys" + (keys.lastError() == null ? "" : ": " + keys.lastError()));
                }
                return TokenVerification.invalid(resolver.failure, resolver.message);
            }
            return TokenVerification.invalid(classify(e), firstLine(e));
        }
        try {
            String subject = claims.getSubject();
            List<Access> access = AccessClaim.read(claims.getClaimValue("access"));
            NumericDate exp = claims.getExpirationTime();
            return TokenVerification.valid(subject == null || subject.isEmpty() ? null : subject, access,
                    Instant.ofEpochSecond(exp.getValue()), claims.getClaimsMap());
        } catch (MalformedClaimException | IllegalArgumentException e) {
            return TokenVerification.invalid(TokenFailure.MALFORMED, "malformed claim: " + e.getMessage());
        }
    }

    /** jose4j ignores {@code iat} unless asked; a token issued in the future (beyond the skew) is refused. */
    private ErrorCodeValidator issuedAtNotInFuture(long now) {
        return context -> {
            NumericDate iat = context.getJwtClaims().getIssuedAt();
            if (iat != null && iat.getValue() > now + clockSkewSeconds) {
                return new ErrorCodeValidator.Error(ErrorCodes.ISSUED_AT_INVALID_FUTURE, "iat is in the future");
            }
            return null;
        };
    }

    private static TokenFailure classify(InvalidJwtException e) {
        if (e.hasExpired()) {
            return TokenFailure.EXPIRED;
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return TokenFailure.NOT_YET_VALID;
        }
        if (e.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
            return TokenFailure.ISSUED_IN_FUTURE;
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return TokenFailure.WRONG_ISSUER;
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return TokenFailure.WRONG_AUDIENCE;
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return TokenFailure.BAD_SIGNATURE;
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return TokenFailure.MISSING_CLAIM;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.jose4j.lang.InvalidAlgorithmException) {
                return TokenFailure.ALGORITHM_NOT_ALLOWED;
            }
        }
        return TokenFailure.MALFORMED;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Picks the key for a token, refusing disallowed algorithms before looking at any key. */
    private static final class KeyResolver implements VerificationKeyResolver {
        private final Collection<JsonWebKey> trusted;
        TokenFailure failure;
        String message;

        KeyResolver(Collection<JsonWebKey> trusted) {
            this.trusted = trusted;
        }

        @Override
        public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nestingContext) throws UnresolvableKeyException {
            String alg = jws.getAlgorithmHeaderValue();
            if (alg == null || !ALLOWED_ALGORITHMS.contains(alg)) {
                fail(TokenFailure.ALGORITHM_NOT_ALLOWED, "algorithm not allowed: " + alg);
            }
            JsonWebKey key;
            try {
                key = new VerificationJwkSelector().selectWithVerifySignatureDisambiguate(jws, new ArrayList<>(trusted));
            } catch (JoseException e) {
                fail(TokenFailure.BAD_SIGNATURE, "cannot select a key: " + e.getMessage());
                return null;
            }
            if (key == null) {
                fail(TokenFailure.UNKNOWN_KEY, "no trusted key for kid " + jws.getKeyIdHeaderValue());
            }
            return key.getKey();
        }

        private void fail(TokenFailure f, String m) throws UnresolvableKeyException {
            failure = f;
            message = m;
            throw new UnresolvableKeyException(m);
        }
    }
}
