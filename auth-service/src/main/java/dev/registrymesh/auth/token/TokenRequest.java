package dev.registrymesh.auth.token;

import dev.registrymesh.common.auth.Access;
import java.util.List;

/**
 * One token request, whichever form it came in: GET with Basic credentials (or none), or the OAuth2 POST
 * with {@code grant_type=password} or {@code refresh_token}. {@code username} null = anonymous.
 */
public record TokenRequest(Grant grant, String service, List<Access> scopes, String username, String password,
                           String refreshToken, boolean offline, String clientAddress) {
    public enum Grant { BASIC_OR_ANONYMOUS, PASSWORD, REFRESH_TOKEN }
}
