package dev.registrymesh.index.console.web;

import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.access.Permissions;
import dev.registrymesh.index.account.OrgService;
import dev.registrymesh.index.account.RobotService;
import dev.registrymesh.index.account.UserService;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.model.Action;
import dev.registrymesh.index.model.Org;
import dev.registrymesh.index.model.Role;
import dev.registrymesh.index.model.Visibility;
import dev.registrymesh.index.repo.RepositoryService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A namespace's page, {@code /n/<namespace>}: its repositories, and for its owners the management of repositories,
 * robots and (organizations) owners and teams. Every change goes through the account services, which hold the rules.
 */
@Path("/n")
public class NamespacePages {
    @Inject
    Web web;
    @Inject
    RepositoryService repositories;
    @Inject
    OrgService orgs;
    @Inject
    RobotService robots;
    @Inject
    UserService users;
    @Inject
    Permissions permissions;

    @GET
    @Path("{namespace}")
    public Response page(@RestCookie(Web.SESSION_COOKIE) String cookie, @PathParam("namespace") String namespace) {
        return page(web.me(cookie), namespace, null);
    }

    /** New organization: the creator becomes its first owner. */
    @POST
    public Response createOrg(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf, @RestForm String name) {
        Me me = web.form(cookie, csrf);
        Org org = orgs.create(me.caller(), trim(name));
        return Web.redirect("/n/" + org.name());
    }

    @POST
    @Path("{namespace}/repositories")
    public Response createRepository(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf,
                                     @PathParam("namespace") String namespace, @RestForm String name,
                                     @RestForm String visibility, @RestForm String description) {
        Me me = web.form(cookie, csrf);
        String full = namespace + "/" + trim(name);
        repositories.create(me.caller(), full, visibility == null || visibility.isEmpty() ? null : Visibility.of(visibility), description);
        return Web.redirect("/r/" + full);
    }

    @POST
    @Path("{namespace}/robots")
    public Response createRobot(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf,
                                @PathParam("namespace") String namespace, @RestForm String name, @RestForm String role) {
        Me me = web.form(cookie, csrf);
        RobotService.Created created = robots.create(me.caller(), namespace, trim(name), role(role));
        return page(me, namespace, new Rows.Secret("Secret of robot " + created.robot().fullName(), created.secret(),
                "Shown this once. Sign in as " + created.robot().fullName() + " with it (docker login, skopeo --creds)."));
    }

    @POST
    @Path("{namespace}/robots/{robot}/delete")
    public Response deleteRobot(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf,
                                @PathParam("namespace") String namespace, @PathParam("robot") String robot) {
        robots.delete(web.form(cookie, csrf).caller(), namespace, robot);
        return Web.redirect("/n/" + namespace);
    }

    @POST
    @Path("{namespace}/owners")
    public Response owner(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf,
                          @PathParam("namespace") String namespace, @RestForm String user, @RestForm String action) {
        orgs.setOwner(web.form(cookie, csrf).caller(), namespace, trim(user), !"remove".equals(action));
        return Web.redirect("/n/" + namespace);
    }

    @POST
    @Path("{namespace}/teams")
    public Response createTeam(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf,
                               @PathParam("namespace") String namespace, @RestForm String name, @RestForm String role,
                               @RestForm String repositories) {
        orgs.createTeam(web.form(cookie, csrf).caller(), namespace, trim(name), role(role), "", list(repositories));
        return Web.redirect("/n/" + namespace);
    }

    @POST
    @Path("{namespace}/teams/{team}/role")
    public Response teamRole(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf,
                             @PathParam("namespace") String namespace, @PathParam("team") String team, @RestForm String role) {
        orgs.updateTeam(web.form(cookie, csrf).caller(), namespace, team, role(role), null, null);
        return Web.redirect("/n/" + namespace);
    }

    @POST
    @Path("{namespace}/teams/{team}/delete")
    public Response deleteTeam(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf,
                               @PathParam("namespace") String namespace, @PathParam("team") String team) {
        orgs.deleteTeam(web.form(cookie, csrf).caller(), namespace, team);
        return Web.redirect("/n/" + namespace);
    }

    @POST
    @Path("{namespace}/teams/{team}/members")
    public Response member(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf,
                           @PathParam("namespace") String namespace, @PathParam("team") String team,
                           @RestForm String member, @RestForm String action) {
        orgs.setMember(web.form(cookie, csrf).caller(), namespace, team, trim(member), !"remove".equals(action));
        return Web.redirect("/n/" + namespace);
    }

    private Response page(Me me, String namespace, Rows.Secret secret) {
        Caller caller = me.caller();
        if (!permissions.namespaceExists(namespace)) {
            throw ApiException.notFound("There is no user or organization named '" + namespace + "'.");
        }
        Optional<Org> org = Optional.empty();
        try {
            org = Optional.of(orgs.get(namespace));
        } catch (ApiException notAnOrg) {
            // a user's namespace, or the official one
        }
        String kind = org.isPresent() ? "organization" : users.exists(namespace) ? "user" : "official";
        boolean owner = !caller.anonymous() && !caller.robot() && !kind.equals("official")
                && (caller.admin() || permissions.ownsNamespace(caller.subject(), namespace));
        boolean member = org.isPresent() && orgs.isMember(caller, org.get());
        List<String> owners = member ? List.copyOf(new TreeSet<>(org.get().owners())) : List.of();
        List<Rows.TeamRow> teams = member ? orgs.teams(namespace).stream().map(Rows.TeamRow::of).toList() : List.of();
        List<Rows.RobotRow> robotRows = List.of();
        if (owner) {
            try {
                robotRows = robots.list(caller, namespace).stream().map(Rows.RobotRow::of).toList();
            } catch (ApiException limitedCredential) {
                // a token without the admin action sees no robots
            }
        }
        boolean canPush = permissions.can(caller, namespace + "/new-repository", Action.PUSH);
        return web.html(Pages.namespace(me, namespace, kind, Rows.Repo.of(repositories.list(caller, namespace)), owner, canPush,
                owners, teams, robotRows, secret));
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static Role role(String role) {
        return role == null || role.isEmpty() ? null : Role.of(role);
    }

    /** "a, b c" -> [a, b, c]; empty -> null (a team on every repository). */
    private static Set<String> list(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return new LinkedHashSet<>(Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList());
    }

    @ServerExceptionMapper
    public Response failed(Exception e, UriInfo uri, @Context HttpHeaders headers) {
        return web.failure(e, uri, headers);
    }
}
