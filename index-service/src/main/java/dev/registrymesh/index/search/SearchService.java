package dev.registrymesh.index.search;

import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.access.Permissions;
import dev.registrymesh.index.account.NamePolicy;
import dev.registrymesh.index.model.Action;
import dev.registrymesh.index.model.RepositoryRecord;
import dev.registrymesh.index.store.IndexStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Docker search over the repositories the caller may pull. Ranking: exact name, then name prefix, then name
 * substring, then description match; within a rank, more pulls first, then by name.
 */
@ApplicationScoped
public class SearchService {
    @Inject
    IndexStore store;
    @Inject
    Permissions permissions;

    public record Hit(RepositoryRecord repository, int rank) {
        /** The name docker search shows: official repositories without {@code library/}. */
        public String displayName() {
            return repository.namespace().equals(NamePolicy.OFFICIAL_NAMESPACE) ? repository.name() : repository.fullName();
        }

        public boolean official() {
            return repository.namespace().equals(NamePolicy.OFFICIAL_NAMESPACE);
        }
    }

    public record Page(String query, int numResults, int page, int pageSize, int numPages, List<Hit> results) {
    }

    public Page search(Caller caller, String query, int pageSize, int page) {
        String term = query.trim().toLowerCase(Locale.ROOT);
        List<Hit> hits = new ArrayList<>();
        for (RepositoryRecord r : store.repositories().all()) {
            int rank = rank(r, term);
            if (rank >= 0 && permissions.can(caller, r.fullName(), Action.PULL)) {
                hits.add(new Hit(r, rank));
            }
        }
        hits.sort(Comparator.comparingInt(Hit::rank)
                .thenComparing(h -> -h.repository().pullCount())
                .thenComparing(h -> h.repository().fullName()));
        int numPages = (hits.size() + pageSize - 1) / pageSize;
        int from = (int) Math.min((long) (page - 1) * pageSize, hits.size());
        int to = Math.min(from + pageSize, hits.size());
        return new Page(query, hits.size(), page, pageSize, numPages, List.copyOf(hits.subList(from, to)));
    }

    /** 0 exact, 1 prefix, 2 substring, 3 description; -1 no match. Names match as full or as the part after the namespace. */
    static int rank(RepositoryRecord r, String term) {
        String full = r.fullName();
        String shortName = r.name();
        if (full.equals(term) || shortName.equals(term)) {
            return 0;
        }
        if (full.startsWith(term) || shortName.startsWith(term)) {
            return 1;
        }
        if (full.contains(term)) {
            return 2;
        }
        if (r.description().toLowerCase(Locale.ROOT).contains(term)) {
            return 3;
        }
        return -1;
    }
}
