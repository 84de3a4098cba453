package dev.registrymesh.index.api;

import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.account.Guards;
import dev.registrymesh.index.account.UserService;
import dev.registrymesh.index.model.User;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "users")
public class UsersResource {
    @Inject
    CallerResolver callers;
    @Inject
    UserService users;

    @GET
    @Path("/user")
    @Operation(summary = "Who the credentials sent belong to")
    public Views.CallerView me(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        Caller c = callers.resolve(auth);
        Guards.requireSignedIn(c);
        return new Views.CallerView(c.subject(), c.credential(), c.admin(), c.kind().name().toLowerCase());
    }

    @GET
    @Path("/users")
    @Operation(summary = "All users (admins only)")
    public List<Views.UserView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        return users.list(callers.resolve(auth)).stream().map(Views.UserView::full).toList();
    }

    @POST
    @Path("/users")
    @Operation(summary = "Create a user (admins, or anyone when open sign-up is on)")
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, Requests.NewUser body) {
        Requests.require(body);
        User u = users.create(callers.resolve(auth), body.name(), body.password(), body.email(), Boolean.TRUE.equals(body.admin()));
        return Response.created(URI.create("/api/v1/users/" + u.name())).entity(Views.UserView.full(u)).build();
    }

    @GET
    @Path("/users/{name}")
    @Operation(summary = "A user: in full for themselves and admins, briefly for others")
    public Views.UserView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("name") String name) {
        Caller c = callers.resolve(auth);
        User u = users.get(name);
        return users.isSelfOrAdmin(c, name) ? Views.UserView.full(u) : Views.UserView.brief(u);
    }

    @PATCH
    @Path("/users/{name}")
    @Operation(summary = "Change password, e-mail, or (admins) the admin flag")
    public Views.UserView update(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("name") String name,
                                 Requests.UserChange body) {
        Requests.require(body);
        return Views.UserView.full(users.update(callers.resolve(auth), name, body.password(), body.email(), body.admin()));
    }

    @DELETE
    @Path("/users/{name}/sessions")
    @Operation(summary = "Sign out everywhere: every refresh token of the account (docker login sessions) ends at once")
    public Response signOutEverywhere(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("name") String name) {
        users.signOutEverywhere(callers.resolve(auth), name);
        return Response.noContent().build();
    }

    @DELETE
    @Path("/users/{name}")
    @Operation(summary = "Delete an account with its repositories (content too), tokens, robots and memberships")
    public Response delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("name") String name) {
        users.delete(callers.resolve(auth), name);
        return Response.noContent().build();
    }
}
