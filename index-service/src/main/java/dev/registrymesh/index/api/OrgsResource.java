package dev.registrymesh.index.api;

import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.account.OrgService;
import dev.registrymesh.index.model.Org;
import dev.registrymesh.index.model.Team;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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

@Path("/api/v1/orgs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "organizations")
public class OrgsResource {
    @Inject
    CallerResolver callers;
    @Inject
    OrgService orgs;

    @GET
    @Operation(summary = "Organizations the caller owns or belongs to (admins: all)")
    public List<Views.OrgView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        return orgs.list(callers.resolve(auth)).stream().map(o -> Views.OrgView.full(o, orgs.teams(o.name()))).toList();
    }

    @POST
    @Operation(summary = "Create an organization; the caller becomes its owner")
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, Requests.NewOrg body) {
        Requests.require(body);
        Org o = orgs.create(callers.resolve(auth), body.name());
        return Response.created(URI.create("/api/v1/orgs/" + o.name())).entity(Views.OrgView.full(o, List.of())).build();
    }

    @GET
    @Path("/{org}")
    @Operation(summary = "An organization: owners and teams for members, the name for others")
    public Views.OrgView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("org") String name) {
        Caller c = callers.resolve(auth);
        Org o = orgs.get(name);
        return orgs.isMember(c, o) ? Views.OrgView.full(o, orgs.teams(name)) : Views.OrgView.brief(o);
    }

    @DELETE
    @Path("/{org}")
    @Operation(summary = "Delete an organization with its teams and robots")
    public Response delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("org") String name) {
        orgs.delete(callers.resolve(auth), name);
        return Response.noContent().build();
    }

    @PUT
    @Path("/{org}/owners/{user}")
    @Operation(summary = "Make a user an owner")
    public Views.OrgView addOwner(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("org") String org,
                                  @PathParam("user") String user) {
        return Views.OrgView.full(orgs.setOwner(callers.resolve(auth), org, user, true), orgs.teams(org));
    }

    @DELETE
    @Path("/{org}/owners/{user}")
    @Operation(summary = "Remove an owner (not the last one)")
    public Views.OrgView removeOwner(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("org") String org,
                                     @PathParam("user") String user) {
        return Views.OrgView.full(orgs.setOwner(callers.resolve(auth), org, user, false), orgs.teams(org));
    }

    @GET
    @Path("/{org}/teams")
    @Operation(summary = "The organization's teams (members only)")
    public List<Views.TeamView> teams(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("org") String org) {
        return orgs.teams(callers.resolve(auth), org).stream().map(Views.TeamView::of).toList();
    }

    @POST
    @Path("/{org}/teams")
    @Operation(summary = "Create a team with a role (pull, push or admin) on all or some of the org's repositories")
    public Response createTeam(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("org") String org,
                               Requests.TeamBody body) {
        Requests.require(body);
        Team t = orgs.createTeam(callers.resolve(auth), org, body.name(), body.role(), body.description(), body.repositories());
        return Response.created(URI.create("/api/v1/orgs/" + org + "/teams/" + t.name())).entity(Views.TeamView.of(t)).build();
    }

    @GET
    @Path("/{org}/teams/{team}")
    public Views.TeamView team(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("org") String org,
                               @PathParam("team") String team) {
        return Views.TeamView.of(orgs.team(callers.resolve(auth), org, team));
    }

    @PATCH
    @Path("/{org}/teams/{team}")
    @Operation(summary = "Change a team's role, description or repository list")
    public Views.TeamView updateTeam(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("org") String org,
                                     @PathParam("team") String team, Requests.TeamBody body) {
        Requests.require(body);
        return Views.TeamView.of(orgs.updateTeam(callers.resolve(auth), org, team, body.role(), body.description(), body.repositories()));
    }

    @DELETE
    @Path("/{org}/teams/{team}")
    public Response deleteTeam(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("org") String org,
                               @PathParam("team") String team) {
        orgs.deleteTeam(callers.resolve(auth), org, team);
        return Response.noContent().build();
    }

    @PUT
    @Path("/{org}/teams/{team}/members/{member}")
    @Operation(summary = "Add a user or one of the org's robots to a team")
    public Views.TeamView addMember(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("org") String org,
                                    @PathParam("team") String team, @PathParam("member") String member) {
        return Views.TeamView.of(orgs.setMember(callers.resolve(auth), org, team, member, true));
    }

    @DELETE
    @Path("/{org}/teams/{team}/members/{member}")
    @Operation(summary = "Remove a member from a team; their rights through it end at once")
    public Views.TeamView removeMember(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("org") String org,
                                       @PathParam("team") String team, @PathParam("member") String member) {
        return Views.TeamView.of(orgs.setMember(callers.resolve(auth), org, team, member, false));
    }
}
