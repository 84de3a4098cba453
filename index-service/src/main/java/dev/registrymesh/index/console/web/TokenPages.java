package dev.registrymesh.index.console.web;

import dev.registrymesh.index.account.TokenService;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.model.Action;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The visitor's personal access tokens: list, create (the text shown once), revoke. Rules live in {@link TokenService}. */
@Path("/tokens")
public class TokenPages {
    @Inject
    Web web;
    @Inject
    TokenService tokens;

    @GET
    public Response list(@RestCookie(Web.SESSION_COOKIE) String cookie) {
        Me me = web.me(cookie);
        if (!me.signedIn()) {
            throw ApiException.unauthorized("sign in to manage your tokens");
        }
        return page(me, null);
    }

    @POST
    public Response create(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf, @RestForm String name,
                           @RestForm List<String> actions, @RestForm String repositories, @RestForm String expiresInDays) {
        Me me = web.form(cookie, csrf);
        Set<Action> granted = EnumSet.noneOf(Action.class);
        for (String a : actions == null ? List.<String>of() : actions) {
            granted.add(Action.of(a));
        }
        Instant expires = null;
        if (expiresInDays != null && !expiresInDays.isBlank()) {
            int days;
            try {
                days = Integer.parseInt(expiresInDays.trim());
            } catch (NumberFormatException e) {
                throw ApiException.invalid("Expiry must be a number of days (1 to 3650), or empty for none.");
            }
            if (days < 1 || days > 3650) {
                throw ApiException.invalid("Expiry must be 1 to 3650 days, or empty for none.");
            }
            expires = Instant.now().plus(Duration.ofDays(days));
        }
        List<String> reach = repositories == null || repositories.isBlank() ? List.of()
                : Arrays.stream(repositories.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
        TokenService.Created created = tokens.create(me.caller(), name == null ? "" : name.trim(), granted, reach, expires);
        return page(me, new Rows.Secret("Your new token " + (created.token().name().isEmpty() ? "" : "'" + created.token().name() + "'"),
                created.secret(), "Shown this once: copy it now. Use it as the password of " + me.name()
                + " (docker login, skopeo --creds) or as a bearer token on the API."));
    }

    @POST
    @Path("{id}/revoke")
    public Response revoke(@RestCookie(Web.SESSION_COOKIE) String cookie, @RestForm("_csrf") String csrf, @PathParam("id") String id) {
        tokens.revoke(web.form(cookie, csrf).caller(), id);
        return Web.redirect("/tokens");
    }

    private Response page(Me me, Rows.Secret secret) {
        Instant now = Instant.now();
        List<Rows.TokenRow> rows = tokens.list(me.caller(), null).stream().map(t -> Rows.TokenRow.of(t, now)).toList();
        return web.html(Pages.tokens(me, rows, secret));
    }

    @ServerExceptionMapper
    public Response failed(Exception e, UriInfo uri, @Context HttpHeaders headers) {
        return web.failure(e, uri, headers);
    }
}
