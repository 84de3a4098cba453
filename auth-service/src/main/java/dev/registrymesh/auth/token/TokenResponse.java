package dev.registrymesh.auth.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.registrymesh.common.auth.Access;
import java.util.List;

/**
 * The answer of both forms: {@code token} and {@code access_token} hold the same JWT (older clients read the
 * first, OAuth2 clients the second); {@code refresh_token} only for offline requests.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(
        @JsonProperty("token") String token,
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("issued_at") String issuedAt,
        @JsonProperty("refresh_token") String refreshToken,
        @JsonProperty("scope") String scope,
        @com.fasterxml.jackson.annotation.JsonIgnore List<Access> access) {
}
