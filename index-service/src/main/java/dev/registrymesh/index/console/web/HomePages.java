package dev.registrymesh.index.console.web;

import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.access.Secrets;
import dev.registrymesh.index.account.OrgService;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.api.CallerResolver;
import dev.registrymesh.index.config.MeshConfig;
import dev.registrymesh.index.console.ConsoleSessions;
import dev.registrymesh.index.repo.RepositoryService;
import dev.registrymesh.index.search.SearchService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The console's front: home (namespaces and repositories you can see), search, sign-in and sign-out. */
@Path("/")
public class HomePages {
    @Inject
    Web web;
    @Inject
    ConsoleSessions sessions;
    @Inject
    RepositoryService repositories;
    @Inject
    SearchService search;
    @Inject
    OrgService orgs;
    @Inject
    CallerResolver callers;
    @Inject
    MeshConfig config;

    @GET
    public Response home(@RestCookie(Web.SESSION_COOKIE) String cookie) {
        Me me = web.me(cookie);
        return web.html(Pages.home(me, Rows.Repo.of(repositories.list(me.caller(), null)), namespaces(me.caller())));
    }

    @GET
    @Path("search")
    public Response search(@RestCookie(Web.SESSION_COOKIE) String cookie, @QueryParam("q") String q) {
        Me me = web.me(cookie);
        String query = q == null ? "" : q.trim();
        if (query.isEmpty()) {
            return Web.redirect("/");
        }
        SearchService.Page page = search.search(me.caller(), query, 100, 1);
        return web.html(Pages.search(me, query, page.results().stream().map(h -> Rows.Repo.of(h.repository())).toList(),
                page.numResults()));
    }

    @GET
    @Path("sign-in")
    public Response signInForm(@RestCookie(Web.SESSION_COOKIE) String cookie, @QueryParam("next") String next) {
        Me me = web.me(cookie);
        if (me.signedIn()) {
            return Web.redirect(Web.localPath(next));
        }
        return signInPage(null, next, "", null, 200);
    }

    @POST
    @Path("sign-in")
    public Response signIn(@RestCookie(Web.SIGN_IN_COOKIE) String pairCookie, @RestForm("_csrf") String csrf,
                           @RestForm String username, @RestForm String secret, @RestForm String next) {
        if (pairCookie == null || csrf == null || !Secrets.constantTimeEquals(pairCookie, csrf)) {
            return signInPage(null, next, username, "This form has expired or did not come from this site. Please try again.", 403);
        }
        ConsoleSessions.Started started;
        try {
            started = sessions.signIn(username, secret, callers.clientAddress());
        } catch (ApiException e) {
            String message = switch (e.status()) {
                case 401 -> "Wrong user name, password or token.";
                case 429 -> "Too many failed sign-ins. Wait a little and try again.";
                default -> e.getMessage();
            };
            return signInPage(pairCookie, next, username, message, e.status());
        }
        return Response.seeOther(java.net.URI.create(Web.localPath(next)))
                .header("Set-Cookie", web.cookie(Web.SESSION_COOKIE, started.cookie(), "Lax", config.console().sessionTtl().toSeconds()))
                .header("Set-Cookie", web.cookie(Web.SIGN_IN_COOKIE, null, "Strict", 0))
                .build();
    }

    @POST
    @Path("sign-out")
    public Response signOut(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf) {
        web.form(cookie, csrf);
        sessions.signOut(cookie);
        return Response.seeOther(java.net.URI.create("/")).header("Set-Cookie", web.cookie(Web.SESSION_COOKIE, null, "Lax", 0)).build();
    }

    /** The sign-in page with a fresh (or the same) form token, set as a cookie too. */
    private Response signInPage(String pair, String next, String username, String error, int status) {
        String token = pair != null ? pair : Secrets.random(24);
        return Response.fromResponse(web.html(status, Pages.signIn(Me.ANONYMOUS, token, Web.localPath(next),
                        username == null ? "" : username, error)))
                .header("Set-Cookie", web.cookie(Web.SIGN_IN_COOKIE, token, "Strict", 3600)).build();
    }

    /** The caller's own namespace and their organizations. */
    private List<Rows.NamespaceRow> namespaces(Caller caller) {
        List<Rows.NamespaceRow> out = new ArrayList<>();
        if (caller.anonymous()) {
            return out;
        }
        out.add(new Rows.NamespaceRow(caller.subject(), "user"));
        orgs.list(caller).forEach(o -> out.add(new Rows.NamespaceRow(o.name(), "organization")));
        return out;
    }

    @ServerExceptionMapper
    public Response failed(Exception e, UriInfo uri, @Context HttpHeaders headers) {
        return web.failure(e, uri, headers);
    }
}
