package dev.registrymesh.index.console.web;

import dev.registrymesh.index.access.Permissions;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.console.ImageInspector;
import dev.registrymesh.index.model.Action;
import dev.registrymesh.index.model.RepositoryRecord;
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
import java.util.List;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A repository's page (tags, newest first) and its images' pages, under {@code /r/<name>}; {@code /-/} separates
 * the name from what follows, as no repository path component can be {@code -}. Every view first asks
 * {@link RepositoryService#get} (the viewer's pull right; 404 otherwise) before reading the registry.
 */
@Path("/r")
public class RepositoryPages {
    @Inject
    Web web;
    @Inject
    RepositoryService repositories;
    @Inject
    Permissions permissions;
    @Inject
    ImageInspector images;

    @GET
    @Path("{name: .+}")
    public Response repository(@RestCookie(Web.SESSION_COOKIE) String cookie, @PathParam("name") String name) {
        Me me = web.me(cookie);
        RepositoryRecord record = repositories.get(me.caller(), name);
        List<ImageInspector.TagRow> tags = List.of();
        String problem = null;
        try {
            tags = images.tags(record);
        } catch (ApiException e) {
            problem = e.getMessage();
        }
        String pull = images.pullCommand(record.fullName(), tags.isEmpty() ? "latest" : tags.get(0).tag(), null);
        return web.html(Pages.repository(me, Rows.Repo.of(record), tags, permissions.can(me.caller(), name, Action.DELETE), pull, problem));
    }

    @GET
    @Path("{name: .+}/-/images/{reference}")
    public Response image(@RestCookie(Web.SESSION_COOKIE) String cookie, @PathParam("name") String name,
                          @PathParam("reference") String reference) {
        Me me = web.me(cookie);
        RepositoryRecord record = repositories.get(me.caller(), name);
        return web.html(Pages.image(me, Rows.Repo.of(record), images.image(record.fullName(), reference)));
    }

    @POST
    @Path("{name: .+}/-/settings")
    public Response settings(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf,
                             @PathParam("name") String name, @RestForm String visibility, @RestForm String description) {
        Me me = web.form(cookie, csrf);
        repositories.update(me.caller(), name, visibility == null || visibility.isEmpty() ? null : Visibility.of(visibility), description);
        return Web.redirect("/r/" + name);
    }

    @POST
    @Path("{name: .+}/-/delete")
    public Response delete(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf, @PathParam("name") String name) {
        Me me = web.form(cookie, csrf);
        RepositoryRecord record = repositories.get(me.caller(), name);
        repositories.delete(me.caller(), name);
        return Web.redirect("/n/" + record.namespace());
    }

    @ServerExceptionMapper
    public Response failed(Exception e, UriInfo uri, @Context HttpHeaders headers) {
        return web.failure(e, uri, headers);
    }
}
