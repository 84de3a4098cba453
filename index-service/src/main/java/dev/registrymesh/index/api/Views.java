package dev.registrymesh.index.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.registrymesh.index.model.AccessToken;
import dev.registrymesh.index.model.Action;
import dev.registrymesh.index.model.Org;
import dev.registrymesh.index.model.RepositoryRecord;
import dev.registrymesh.index.model.Robot;
import dev.registrymesh.index.model.Role;
import dev.registrymesh.index.model.Team;
import dev.registrymesh.index.model.User;
import dev.registrymesh.index.model.Visibility;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What the API shows of the records: never a hash; a secret only in the answer that created it. */
public final class Views {
    private Views() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserView(String name, String email, Boolean admin, Instant createdAt) {
        public static UserView full(User u) {
            return new UserView(u.name(), u.email(), u.admin(), u.createdAt());
        }

        /** What other users see of an account. */
        public static UserView brief(User u) {
            return new UserView(u.name(), null, null, u.createdAt());
        }
    }

    public record CallerView(String subject, String credential, boolean admin, String kind) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OrgView(String name, Set<String> owners, List<String> teams, Instant createdAt) {
        public static OrgView full(Org o, List<Team> teams) {
            return new OrgView(o.name(), new TreeSet<>(o.owners()), teams.stream().map(Team::name).toList(), o.createdAt());
        }

        public static OrgView brief(Org o) {
            return new OrgView(o.name(), null, null, o.createdAt());
        }
    }

    public record TeamView(String org, String name, Role role, String description, Set<String> members,
                           Set<String> repositories, Instant createdAt) {
        public static TeamView of(Team t) {
            return new TeamView(t.org(), t.name(), t.role(), t.description(), new TreeSet<>(t.members()),
                    new TreeSet<>(t.repositories()), t.createdAt());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RobotView(String name, String namespace, Role role, Instant createdAt, String secret) {
        public static RobotView of(Robot r, String secret) {
            return new RobotView(r.fullName(), r.namespace(), r.role(), r.createdAt(), secret);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenView(String id, String name, String owner, Set<Action> actions, List<String> repositories,
                            Instant createdAt, Instant expiresAt, Instant revokedAt, String token) {
        public static TokenView of(AccessToken t, String secret) {
            return new TokenView(t.id(), t.name(), t.owner(), new TreeSet<>(t.actions()), t.repositories(), t.createdAt(),
                    t.expiresAt(), t.revokedAt(), secret);
        }
    }

    public record RepositoryView(String name, String namespace, String repository, Visibility visibility, String description,
                                 Instant createdAt, Instant lastPushed, int tagCount, long pullCount, long starCount,
                                 List<String> tags) {
        public static RepositoryView of(RepositoryRecord r) {
            return new RepositoryView(r.fullName(), r.namespace(), r.name(), r.visibility(), r.description(), r.createdAt(),
                    r.lastPushed(), r.tags().size(), r.pullCount(), r.starCount(), r.tags().keySet().stream().sorted().toList());
        }
    }

    public record NamespaceView(String name, String kind) {
    }
}
