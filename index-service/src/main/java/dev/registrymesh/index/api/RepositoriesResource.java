package dev.registrymesh.index.api;

import dev.registrymesh.index.model.RepositoryRecord;
import dev.registrymesh.index.repo.RepositoryService;
import dev.registrymesh.index.lifecycle.LifecycleService;
import dev.registrymesh.index.model.NamespacePolicy;
import jakarta.ws.rs.PUT;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/repositories")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "repositories")
public class RepositoriesResource {
    @Inject
    CallerResolver callers;
    @Inject
    RepositoryService repositories;
    @Inject
    LifecycleService lifecycle;

    @GET
    @Operation(summary = "Repositories the caller may pull, optionally of one namespace")
    public List<Views.RepositoryView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @QueryParam("namespace") String ns) {
        return repositories.list(callers.resolve(auth), ns).stream().map(Views.RepositoryView::of).toList();
    }

    @POST
    @Operation(summary = "Create a repository record ahead of the first push (needs push rights in the namespace)")
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, Requests.NewRepository body) {
        Requests.require(body);
        RepositoryRecord r = repositories.create(callers.resolve(auth), body.name(), body.visibility(), body.description());
        return Response.created(URI.create("/api/v1/repositories/" + r.fullName())).entity(Views.RepositoryView.of(r)).build();
    }

    @GET
    @Path("/{name: .+}")
    @Operation(summary = "One repository (404 when it does not exist or the caller may not pull it)")
    public Views.RepositoryView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("name") String name) {
        return Views.RepositoryView.of(repositories.get(callers.resolve(auth), name));
    }

    @PATCH
    @Path("/{name: .+}")
    @Operation(summary = "Change visibility or description (owners, admin teams, admins)")
    public Views.RepositoryView update(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("name") String name,
                                       Requests.RepositoryChange body) {
        Requests.require(body);
        return Views.RepositoryView.of(repositories.update(callers.resolve(auth), name, body.visibility(), body.description()));
    }

    @DELETE
    @Path("/{name: .+}")
    @Operation(summary = "Forget a repository record")
    public Response delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("name") String name) {
        repositories.delete(callers.resolve(auth), name);
        return Response.noContent().build();
    }

    // A repository may itself end in ".../immutable-tags" (names allow it). GET and PUT of "<x>/immutable-tags" are
    // always these rule endpoints (of <x>): JAX-RS prefers the template with more literal characters. PATCH and
    // DELETE fall through to the record. So the record of such a repository is read in the listing, and its rules
    // are at "<name>/immutable-tags/immutable-tags" (README; ImmutableTagsRouteTest).
    @GET
    @Path("/{name: .+}/immutable-tags")
    public Requests.PatternsBody repositoryImmutable(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("name") String name) {
        return new Requests.PatternsBody(lifecycle.repositoryImmutable(callers.resolve(auth), name).stream()
                .map(NamespacePolicy.ImmutableRule::tagPattern).toList());
    }

    @PUT
    @Path("/{name: .+}/immutable-tags")
    @Operation(summary = "Replace the repository's immutable tag patterns, e.g. {\"patterns\":[\"v*\"]} or [\"*\"] (owners and admins)")
    public Requests.PatternsBody setRepositoryImmutable(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("name") String name,
                                               Requests.PatternsBody body) {
        Requests.require(body);
        return new Requests.PatternsBody(lifecycle.setRepositoryImmutable(callers.resolve(auth), name, body.patterns()).stream()
                .map(NamespacePolicy.ImmutableRule::tagPattern).toList());
    }
}
