package dev.registrymesh.index.console.web;

import dev.registrymesh.index.model.AccessToken;
import dev.registrymesh.index.model.Action;
import dev.registrymesh.index.model.RepositoryRecord;
import dev.registrymesh.index.model.Robot;
import dev.registrymesh.index.model.Team;
import dev.registrymesh.index.model.User;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the templates show of the records: plain strings, already formatted, never a hash. */
public final class Rows {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Rows() {
    }

    static String when(Instant instant) {
        return instant == null ? "" : WHEN.format(instant);
    }

    public record Repo(String name, String namespace, String visibility, boolean isPublic, String description, int tags,
                       long pulls, String lastPushed) {
        static Repo of(RepositoryRecord r) {
            return new Repo(r.fullName(), r.namespace(), r.visibility().id(), r.isPublic(), r.description(), r.tags().size(),
                    r.pullCount(), when(r.lastPushed()));
        }

        static List<Repo> of(List<RepositoryRecord> records) {
            return records.stream().map(Repo::of).toList();
        }
    }

    public record NamespaceRow(String name, String kind) {
    }

    public record TeamRow(String name, String role, String description, List<String> members, String repositories) {
        static TeamRow of(Team t) {
            return new TeamRow(t.name(), t.role().id(), t.description(), List.copyOf(new java.util.TreeSet<>(t.members())),
                    t.repositories().isEmpty() ? "all repositories" : String.join(", ", new java.util.TreeSet<>(t.repositories())));
        }
    }

    public record RobotRow(String name, String fullName, String role, String createdAt) {
        static RobotRow of(Robot r) {
            return new RobotRow(r.name(), r.fullName(), r.role().id(), when(r.createdAt()));
        }
    }

    public record TokenRow(String id, String name, String actions, String repositories, String createdAt, String expiresAt,
                           String state, boolean live) {
        static TokenRow of(AccessToken t, Instant now) {
            String state = t.revokedAt() != null ? "revoked " + when(t.revokedAt())
                    : t.live(now) ? "active" : "expired";
            return new TokenRow(t.id(), t.name(), t.actions().stream().map(Action::id).sorted().collect(Collectors.joining(", ")),
                    t.repositories().isEmpty() ? "all" : String.join(", ", t.repositories()), when(t.createdAt()),
                    t.expiresAt() == null ? "never" : when(t.expiresAt()), state, t.live(now));
        }
    }

    public record UserRow(String name, String email, boolean admin, String createdAt) {
        static UserRow of(User u) {
            return new UserRow(u.name(), u.email() == null ? "" : u.email(), u.admin(), when(u.createdAt()));
        }
    }

    /** A secret shown once, right after it was made. */
    public record Secret(String label, String value, String hint) {
    }
}
