package dev.registrymesh.index.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registrymesh.common.LogSafe;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.common.RepositoryName;
import dev.registrymesh.index.access.Authenticator;
import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.access.Permissions;
import dev.registrymesh.index.access.Secrets;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.model.Action;
import dev.registrymesh.index.model.RepositoryRecord;
import dev.registrymesh.index.repo.RepositoryService;
import dev.registrymesh.index.store.IndexStore;
import dev.registrymesh.index.store.StoreJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.format.DateTimeParseException;
import org.jboss.logging.Logger;

/**
 * Applies the registry's notifications (CNCF Distribution envelope) to repository records, once per event id:
 * manifest pushes set tags and the last-pushed time (and create the record when the pusher may push there),
 * manifest pulls count, deletes drop tags. Blob events only count as activity of the registry and are skipped.
 */
@ApplicationScoped
public class EventIntake {
    private static final Logger LOG = Logger.getLogger(EventIntake.class);

    @Inject
    IndexStore store;
    @Inject
    Permissions permissions;
    @Inject
    Authenticator authenticator;
    @Inject
    RepositoryService repositories;

    public record Result(int received, int applied, int duplicates, int skipped) {
    }

    /**
     * Applies a batch. The cost is per batch, not per event: the event ids are recorded with one store write, and
     * each repository's events are folded, in order, into one update of its record (a thousand pulls of one
     * repository are one write). An update that fails forgets the ids of every event not applied, so that the
     * sender's retry applies them.
     */
    public Result accept(JsonNode envelope) {
        JsonNode events = envelope == null ? null : envelope.get("events");
        if (events == null || !events.isArray()) {
            throw ApiException.invalid("expected a notification envelope: {\"events\":[...]}");
        }
        List<String> ids = new ArrayList<>(events.size());
        for (JsonNode event : events) {
            String id = event.path("id").asText("");
            // Without an id there is nothing to deduplicate on but the content itself.
            ids.add(id.isEmpty() ? "sha256-" + Secrets.sha256(StoreJson.write(event)) : id);
        }
        List<Boolean> fresh = store.firstSeen(ids);
        int duplicates = 0;
        int skipped = 0;
        // Per repository, in arrival order: events of different repositories do not affect each other.
        Map<String, List<Change>> byRepository = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            if (!fresh.get(i)) {
                duplicates++;
                continue;
            }
            Change change = change(ids.get(i), events.get(i));
            if (change == null) {
                skipped++;
            } else {
                byRepository.computeIfAbsent(change.repository(), r -> new ArrayList<>()).add(change);
            }
        }
        int applied = 0;
        List<List<Change>> pending = new ArrayList<>(byRepository.values());
        for (int g = 0; g < pending.size(); g++) {
            List<Change> changes = pending.get(g);
            try {
                boolean present = apply(changes);
                applied += present ? changes.size() : 0;
                skipped += present ? 0 : changes.size();
            } catch (RuntimeException e) {
                // Let the sender's retry apply what was not applied.
                for (List<Change> notApplied : pending.subList(g, pending.size())) {
                    notApplied.forEach(c -> store.forgetEvent(c.id()));
                }
                throw e;
            }
        }
        return new Result(events.size(), applied, duplicates, skipped);
    }

    /** What one event does to its repository's record, or null when it does nothing (blob events, bad names). */
    private record Change(String id, String repository, String action, String tag, String digest, Instant when, String actor) {
        RepositoryRecord applyTo(RepositoryRecord r) {
            return switch (action) {
                case "push" -> r.pushed(tag, digest, when);
                case "pull" -> r.pulled(tag, when);
                default -> r.deleted(tag, digest);
            };
        }
    }

    private static Change change(String id, JsonNode event) {
        String action = event.path("action").asText("");
        JsonNode target = event.path("target");
        String repository = target.path("repository").asText("");
        if (!RepositoryName.isValid(repository) || RepositoryName.of(repository).namespace() == null) {
            return null;
        }
        String tag = textOrNull(target.path("tag"));
        String digest = textOrNull(target.path("digest"));
        String mediaType = textOrNull(target.path("mediaType"));
        boolean manifest = tag != null || (mediaType != null && MediaTypes.isManifest(mediaType));
        Instant when = timestamp(event.path("timestamp").asText(null));
        String actor = textOrNull(event.path("actor").path("name"));
        return switch (action) {
            case "push", "pull" -> manifest ? new Change(id, repository, action, tag, digest, when, actor) : null;
            case "delete" -> new Change(id, repository, action, tag, digest, when, actor);
            default -> null;
        };
    }

    /** One repository's changes as one update; false when the repository has no record. */
    private boolean apply(List<Change> changes) {
        String repository = changes.get(0).repository();
        for (Change c : changes) {
            // The first push by someone who may push there creates the record.
            if (c.action().equals("push") && store.repositories().get(repository).isEmpty()) {
                ensureRecord(repository, c.actor());
            }
        }
        return store.repositories().update(repository, r -> {
            for (Change c : changes) {
                r = c.applyTo(r);
            }
            return r;
        }).isPresent();
    }

    /** Creates the record of a first push, when the pusher may push there (else the push is not ours to record). */
    private void ensureRecord(String repository, String actor) {
        if (store.repositories().get(repository).isPresent() || actor == null) {
            return;
        }
        Caller caller;
        try {
            caller = authenticator.resume(actor, null);
        } catch (ApiException unknownActor) {
            LOG.infof("push to %s by unknown actor %s: no repository record created", LogSafe.escape(repository), LogSafe.escape(actor));
            return;
        }
        if (permissions.can(caller, repository, Action.PUSH)) {
            store.repositories().putIfAbsent(repository, repositories.newRecord(repository, repositories.defaultVisibility(), ""));
        } else {
            LOG.infof("push to %s by %s, who may not push there: no repository record created", LogSafe.escape(repository),
                    LogSafe.escape(actor));
        }
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() || node.asText().isEmpty() ? null : node.asText();
    }

    private static Instant timestamp(String text) {
        if (text == null) {
            return Instant.now();
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }
}
