package dev.registrymesh.index.api;

import dev.registrymesh.index.account.TokenService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "personal access tokens")
public class TokensResource {
    @Inject
    CallerResolver callers;
    @Inject
    TokenService tokens;

    @GET
    @Operation(summary = "The caller's tokens (admins: ?owner=<user>), without secrets")
    public List<Views.TokenView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @QueryParam("owner") String owner) {
        return tokens.list(callers.resolve(auth), owner).stream().map(t -> Views.TokenView.of(t, null)).toList();
    }

    @POST
    @Operation(summary = "Create a token; its text is in this answer only. Use it as a password or a bearer token.")
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, Requests.NewToken body) {
        Requests.require(body);
        Instant expires = body.expiresAt();
        if (body.expiresInDays() != null) {
            if (body.expiresInDays() < 1 || body.expiresInDays() > 3650) {
                throw ApiException.invalid("expiresInDays must be 1 to 3650");
            }
            expires = Instant.now().plus(Duration.ofDays(body.expiresInDays()));
        }
        TokenService.Created c = tokens.create(callers.resolve(auth), body.name(), body.actions(), body.repositories(), expires);
        return Response.created(URI.create("/api/v1/tokens/" + c.token().id())).entity(Views.TokenView.of(c.token(), c.secret())).build();
    }

    @GET
    @Path("/{id}")
    public Views.TokenView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("id") String id) {
        return Views.TokenView.of(tokens.get(callers.resolve(auth), id), null);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a token; it stops working at once")
    public Response revoke(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("id") String id) {
        tokens.revoke(callers.resolve(auth), id);
        return Response.noContent().build();
    }
}
