package dev.registrymesh.index.api;

import dev.registrymesh.index.model.Action;
import dev.registrymesh.index.model.Role;
import dev.registrymesh.index.model.Visibility;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Request bodies of the API; absent fields are null and mean "unchanged" or "the default". */
public final class Requests {
    private Requests() {
    }

    public record NewUser(String name, String password, String email, Boolean admin) {
    }

    public record UserChange(String password, String email, Boolean admin) {
    }

    public record NewOrg(String name) {
    }

    public record TeamBody(String name, Role role, String description, Set<String> repositories) {
    }

    public record NewRobot(String name, Role role) {
    }

    /** expiresAt, or expiresInDays counted from now; neither = no expiry. */
    public record NewToken(String name, Set<Action> actions, List<String> repositories, Instant expiresAt, Integer expiresInDays) {
    }

    public record NewRepository(String name, Visibility visibility, String description) {
    }

    public record RepositoryChange(Visibility visibility, String description) {
    }

    public record QuotaBody(Long quotaBytes, Integer maxRepositories) {
    }

    public record RetentionBody(List<dev.registrymesh.index.model.NamespacePolicy.RetentionRule> rules) {
    }

    public record ImmutableBody(List<dev.registrymesh.index.model.NamespacePolicy.ImmutableRule> rules) {
    }

    public record PatternsBody(List<String> patterns) {
    }

    public static <T> T require(T body) {
        if (body == null) {
            throw ApiException.invalid("a JSON body is required");
        }
        return body;
    }
}
