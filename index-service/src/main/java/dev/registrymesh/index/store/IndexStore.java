package dev.registrymesh.index.store;

import dev.registrymesh.index.model.AccessToken;
import dev.registrymesh.index.model.ConsoleSession;
import dev.registrymesh.index.model.NamespacePolicy;
import dev.registrymesh.index.model.Org;
import dev.registrymesh.index.model.ReleasedName;
import dev.registrymesh.index.model.RepositoryRecord;
import dev.registrymesh.index.model.Robot;
import dev.registrymesh.index.model.Team;
import dev.registrymesh.index.model.User;
import java.time.Duration;
import java.util.List;

/**
 * Everything index-service keeps, over one storage adapter. Keys: users and orgs by name, teams by
 * {@code org/team}, robots by {@code namespace+robot}, tokens by id, repositories by {@code namespace/name},
 * released names by name, console sessions by the SHA-256 of their cookie.
 */
public final class IndexStore implements AutoCloseable {
    private static final Duration EVENT_RETENTION = Duration.ofDays(7);

    private final KeyValueBackend backend;
    private final Table<User> users;
    private final Table<Org> orgs;
    private final Table<Team> teams;
    private final Table<Robot> robots;
    private final Table<AccessToken> tokens;
    private final Table<RepositoryRecord> repositories;
    private final Table<ReleasedName> released;
    private final Table<ConsoleSession> sessions;
    private final Table<NamespacePolicy> policies;

    public IndexStore(KeyValueBackend backend) {
        this.backend = backend;
        this.users = new Table<>(backend, "users", User.class);
        this.orgs = new Table<>(backend, "orgs", Org.class);
        this.teams = new Table<>(backend, "teams", Team.class);
        this.robots = new Table<>(backend, "robots", Robot.class);
        this.tokens = new Table<>(backend, "tokens", AccessToken.class);
        this.repositories = new Table<>(backend, "repositories", RepositoryRecord.class);
        this.released = new Table<>(backend, "released", ReleasedName.class);
        this.sessions = new Table<>(backend, "sessions", ConsoleSession.class);
        this.policies = new Table<>(backend, "policies", NamespacePolicy.class);
    }

    public Table<User> users() {
        return users;
    }

    public Table<Org> orgs() {
        return orgs;
    }

    public Table<Team> teams() {
        return teams;
    }

    public Table<Robot> robots() {
        return robots;
    }

    public Table<AccessToken> tokens() {
        return tokens;
    }

    public Table<RepositoryRecord> repositories() {
        return repositories;
    }

    /** Quotas, retention and immutable tag rules, by namespace. */
    public Table<NamespacePolicy> policies() {
        return policies;
    }

    /** Names of deleted users and organizations, by name. */
    public Table<ReleasedName> released() {
        return released;
    }

    /** Web console sessions, by the SHA-256 of the id in their cookie. */
    public Table<ConsoleSession> sessions() {
        return sessions;
    }

    /** True the first time an event id is seen (within a week): event intake is idempotent by it. */
    public boolean firstSeen(String eventId) {
        return backend.markEvent(eventId, EVENT_RETENTION);
    }

    /** {@link #firstSeen} for a whole batch, in one write where the adapter allows. */
    public List<Boolean> firstSeen(List<String> eventIds) {
        return backend.markEvents(eventIds, EVENT_RETENTION);
    }

    public void forgetEvent(String eventId) {
        backend.unmarkEvent(eventId);
    }

    public void onChange(Runnable listener) {
        backend.onChange(listener);
    }

    @Override
    public void close() {
        backend.close();
    }
}
