package dev.registrymesh.index.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.common.LogSafe;
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

    public Result accept(JsonNode envelope) {
        JsonNode events = envelope == null ? null : envelope.get("events");
        if (events == null || !events.isArray()) {
            throw ApiException.invalid("expected a notification envelope: {\"events\":[...]}");
        }
        int applied = 0;
        int duplicates = 0;
        int skipped = 0;
        for (JsonNode event : events) {
            String id = event.path("id").asText("");
            if (id.isEmpty()) {
                // Without an id there is nothing to deduplicate on but the content itself.
                id = "sha256-" + Secrets.sha256(StoreJson.write(event));
            }
            if (!store.firstSeen(id)) {
                duplicates++;
                continue;
            }
            try {
                if (apply(event)) {
                    applied++;
                } else {
                    skipped++;
                }
            } catch (RuntimeException e) {
                // Let the sender's retry apply it: it was not applied.
                store.forgetEvent(id);
                throw e;
            }
        }
        return new Result(events.size(), applied, duplicates, skipped);
    }

    private boolean apply(JsonNode event) {
        String action = event.path("action").asText("");
        JsonNode target = event.path("target");
        String repository = target.path("repository").asText("");
        if (!RepositoryName.isValid(repository) || RepositoryName.of(repository).namespace() == null) {
            return false;
        }
        String tag = textOrNull(target.path("tag"));
        String digest = textOrNull(target.path("digest"));
        String mediaType = textOrNull(target.path("mediaType"));
        boolean manifest = tag != null || (mediaType != null && MediaTypes.isManifest(mediaType));
        Instant when = timestamp(event.path("timestamp").asText(null));
        switch (action) {
            case "push":
                if (!manifest) {
                    return false;
                }
                ensureRecord(repository, textOrNull(event.path("actor").path("name")));
                return store.repositories().update(repository, r -> r.pushed(tag, digest, when)).isPresent();
            case "pull":
                return manifest && store.repositories().update(repository, RepositoryRecord::pulled).isPresent();
            case "delete":
                return store.repositories().update(repository, r -> r.deleted(tag, digest)).isPresent();
            default:
                return false;
        }
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
