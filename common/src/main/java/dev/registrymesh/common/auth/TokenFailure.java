package dev.registrymesh.common.auth;

/** Why a token was refused. Every one of these is {@code error="invalid_token"} in a challenge. */
public enum TokenFailure {
    MALFORMED,
    ALGORITHM_NOT_ALLOWED,
    /** No trusted key has the token's {@code kid} (a JWKS refetch may help). */
    UNKNOWN_KEY,
    BAD_SIGNATURE,
    EXPIRED,
    NOT_YET_VALID,
    ISSUED_IN_FUTURE,
    WRONG_ISSUER,
    WRONG_AUDIENCE,
    MISSING_CLAIM,
    /** No key could be fetched at all: the verifier cannot judge any token. */
    KEYS_UNAVAILABLE
}
