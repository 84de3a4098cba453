package dev.registrymesh.index.console.web;

import dev.registrymesh.common.OciException;
import dev.registrymesh.index.access.Secrets;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.config.MeshConfig;
import dev.registrymesh.index.console.ConsoleSessions;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;

/** What every console page needs: the visitor, CSRF checks, cookies, redirects, and errors as pages. */
@ApplicationScoped
public class Web {
    public static final String SESSION_COOKIE = "mesh_session";
    /** Before sign-in there is no session: the sign-in form's token is paired with this cookie (double submit). */
    public static final String SIGN_IN_COOKIE = "mesh_signin";
    private static final Logger LOG = Logger.getLogger(Web.class);

    @Inject
    ConsoleSessions sessions;
    @Inject
    MeshConfig config;
    @Inject
    CurrentVertxRequest request;

    /** The visitor behind a session cookie; anonymous without a live session. */
    public Me me(String cookie) {
        return sessions.find(cookie).map(a -> new Me(a.caller(), a.csrf())).orElse(Me.ANONYMOUS);
    }

    /**
     * The visitor of a form post: signed in, and the form carries the session's token (a page of another site
     * cannot know it). 401 (to the sign-in page) or 403 otherwise.
     */
    public Me form(String cookie, String csrf) {
        Me me = me(cookie);
        if (!me.signedIn()) {
            throw ApiException.unauthorized("sign in first");
        }
        if (csrf == null || !Secrets.constantTimeEquals(csrf, me.csrf())) {
            throw ApiException.denied("this form has expired or did not come from this site: reload the page and try again");
        }
        return me;
    }

    public Response html(TemplateInstance page) {
        return html(200, page);
    }

    public Response html(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render()).build();
    }

    public static Response redirect(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

    /** {@code name=value} for a console cookie: HttpOnly, SameSite, Secure over TLS; a null value deletes it. */
    public String cookie(String name, String value, String sameSite, long maxAgeSeconds) {
        StringBuilder c = new StringBuilder(name).append('=').append(value == null ? "" : value)
                .append("; Path=/; HttpOnly; SameSite=").append(sameSite)
                .append("; Max-Age=").append(value == null ? 0 : maxAgeSeconds);
        if (config.console().secureCookie().orElseGet(this::overTls)) {
            c.append("; Secure");
        }
        return c.toString();
    }

    private boolean overTls() {
        RoutingContext ctx = request.getCurrent();
        return ctx != null && ("https".equals(ctx.request().scheme()) || ctx.request().isSSL());
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A local path to return to after sign-in; anything else (another site, //host) is the home page. */
    public static String localPath(String next) {
        return next != null && next.startsWith("/") && !next.startsWith("//") && !next.contains("\\") ? next : "/";
    }

    /**
     * A failure as a page a person can act on: sign-in for 401 on a page view, the message otherwise. Messages of
     * our own exceptions are written for users; anything unexpected is logged and shown as a generic apology.
     */
    public Response failure(Throwable e, UriInfo uri, HttpHeaders headers) {
        int status;
        String message;
        if (e instanceof ApiException api) {
            status = api.status();
            message = api.getMessage();
        } else if (e instanceof OciException oci) {
            status = oci.status();
            message = oci.getMessage();
        } else if (e instanceof IllegalArgumentException) {
            status = 400;
            message = e.getMessage();
        } else if (e instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            status = web.getResponse().getStatus();
            message = status == 404 ? "There is no such page." : "The request could not be handled (" + status + ").";
        } else {
            LOG.error("console request failed", e);
            status = 500;
            message = "Something went wrong on our side. It has been logged; please try again.";
        }
        var cookie = headers.getCookies().get(SESSION_COOKIE);
        Me me = me(cookie == null ? null : cookie.getValue());
        if (status == 401 && !me.signedIn()) {
            String back = uri.getRequestUri().getRawPath();
            String query = uri.getRequestUri().getRawQuery();
            boolean get = "GET".equals(request.getCurrent() == null ? "GET" : request.getCurrent().request().method().name());
            return redirect("/sign-in" + (get ? "?next=" + encode(back + (query == null ? "" : "?" + query)) : ""));
        }
        String title = switch (status) {
            case 400 -> "That did not work";
            case 401 -> "Sign-in failed";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 409 -> "Already taken";
            case 429 -> "Too many attempts";
            case 503 -> "Temporarily unavailable";
            default -> "Error";
        };
        return html(status, Pages.error(me, status, title, message));
    }
}
