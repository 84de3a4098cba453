package dev.registrymesh.index.console.web;

import dev.registrymesh.index.account.Guards;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.console.MirrorStatus;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.List;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Administrators: the mirror's upstreams and per-node figures, and prefetching (with pinning) of images. */
@Path("/mirror")
public class MirrorPages {
    @Inject
    Web web;
    @Inject
    MirrorStatus mirror;

    @GET
    public Response status(@RestCookie(Web.SESSION_COOKIE) String cookie) {
        Me me = web.me(cookie);
        Guards.requireAdmin(me.caller());
        return web.html(Pages.mirror(me, mirror.status(), null));
    }

    @POST
    @Path("prefetch")
    public Response prefetch(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf,
                             @RestForm String references, @RestForm String pin) {
        Me me = web.form(cookie, csrf);
        Guards.requireAdmin(me.caller());
        List<String> refs = references == null ? List.of()
                : Arrays.stream(references.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
        if (refs.isEmpty()) {
            throw ApiException.invalid("Name at least one image, for example ubuntu:24.04.");
        }
        MirrorStatus.PrefetchResult result = mirror.prefetch(refs, "on".equals(pin));
        return web.html(Pages.mirror(me, mirror.status(), result));
    }

    @ServerExceptionMapper
    public Response failed(Exception e, UriInfo uri, @Context HttpHeaders headers) {
        return web.failure(e, uri, headers);
    }
}
