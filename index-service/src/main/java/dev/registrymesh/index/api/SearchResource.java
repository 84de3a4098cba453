package dev.registrymesh.index.api;

import dev.registrymesh.index.search.SearchService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The v1 search API as {@code docker search} calls it, with the ping it sends first. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "docker search")
public class SearchResource {
    @Inject
    CallerResolver callers;
    @Inject
    SearchService search;

    public record Result(String name, String description, long star_count, boolean is_official, boolean is_automated) {
    }

    public record Answer(String query, int num_results, int page, int page_size, int num_pages, List<Result> results) {
    }

    @GET
    @Path("/_ping")
    @Operation(summary = "What docker checks before searching")
    public Response ping() {
        return Response.ok("true").header("X-Docker-Registry-Standalone", "true").header("X-Docker-Registry-Version", "0.6.0").build();
    }

    @GET
    @Path("/search")
    @Operation(summary = "docker search: repositories the caller may pull, best matches first")
    public Answer search(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @QueryParam("q") String q,
                         @QueryParam("n") String n, @QueryParam("page") String page) {
        if (q == null || q.isBlank()) {
            throw ApiException.invalid("missing search term: ?q=<term>");
        }
        if (q.length() > 255) {
            throw ApiException.invalid("search term too long");
        }
        int size = number(n, 25, 1, 100, "n");
        int pageNo = number(page, 1, 1, 1_000_000, "page");
        SearchService.Page p = search.search(callers.resolve(auth), q, size, pageNo);
        List<Result> results = p.results().stream()
                .map(h -> new Result(h.displayName(), h.repository().description(), h.repository().starCount(), h.official(), false))
                .toList();
        return new Answer(p.query(), p.numResults(), p.page(), p.pageSize(), p.numPages(), results);
    }

    private static int number(String text, int dflt, int min, int max, String what) {
        if (text == null || text.isEmpty()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(text);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ApiException(400, "PAGINATION_NUMBER_INVALID", what + " must be a number from " + min + " to " + max, null);
    }
}
