package dev.registrymesh.auth.http;

import dev.registrymesh.auth.token.TokenRequest;
import dev.registrymesh.auth.token.TokenResponse;
import dev.registrymesh.common.auth.Access;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * What the token server decides, for dashboards: {@code auth_tokens_issued_total{grant, scope}} (scope: whether
 * the caller got all, some or none of the access it asked for, or asked for none) and
 * {@code auth_tokens_refused_total{reason}}.
 */
@ApplicationScoped
public class TokenMetrics {
    private final MeterRegistry registry;

    public TokenMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void issued(TokenRequest request, TokenResponse response) {
        registry.counter("auth.tokens.issued", "grant", grant(request), "scope", scope(request.scopes(), response.access())).increment();
    }

    public void refused(int status) {
        String reason = switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 429 -> "throttled";
            case 503 -> "unavailable";
            default -> "error";
        };
        registry.counter("auth.tokens.refused", "reason", reason).increment();
    }

    private static String grant(TokenRequest request) {
        return switch (request.grant()) {
            case BASIC_OR_ANONYMOUS -> request.username() == null ? "anonymous" : "basic";
            case PASSWORD -> "password";
            case REFRESH_TOKEN -> "refresh_token";
        };
    }

    private static String scope(List<Access> asked, List<Access> granted) {
        long wanted = actions(asked);
        long got = actions(granted);
        return wanted == 0 ? "none_asked" : got == 0 ? "none" : got >= wanted ? "all" : "some";
    }

    private static long actions(List<Access> access) {
        return access == null ? 0 : access.stream().mapToLong(a -> a.actions().size()).sum();
    }
}
