package dev.registrymesh.index.console.web;

import dev.registrymesh.index.account.UserService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Administrators: every user, a form to create one, and deletion (with everything the user owned). */
@Path("/users")
public class UserPages {
    @Inject
    Web web;
    @Inject
    UserService users;

    @GET
    public Response list(@RestCookie(Web.SESSION_COOKIE) String cookie) {
        Me me = web.me(cookie);
        return web.html(Pages.users(me, users.list(me.caller()).stream().map(Rows.UserRow::of).toList()));
    }

    @POST
    public Response create(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf, @RestForm String name,
                           @RestForm String password, @RestForm String email, @RestForm String admin) {
        Me me = web.form(cookie, csrf);
        users.create(me.caller(), name == null ? "" : name.trim(), password, email == null || email.isBlank() ? null : email.trim(),
                "on".equals(admin));
        return Web.redirect("/users");
    }

    @POST
    @Path("{name}/delete")
    public Response delete(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf, @PathParam("name") String name) {
        users.delete(web.form(cookie, csrf).caller(), name);
        return Web.redirect("/users");
    }

    @ServerExceptionMapper
    public Response failed(Exception e, UriInfo uri, @Context HttpHeaders headers) {
        return web.failure(e, uri, headers);
    }
}
