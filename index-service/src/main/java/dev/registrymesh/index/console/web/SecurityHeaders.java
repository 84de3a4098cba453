package dev.registrymesh.index.console.web;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Headers of every HTML page: a Content-Security-Policy allowing only this origin's script and stylesheet (no inline
 * script, no eval, nothing from elsewhere), no framing, no caching of pages that may show secrets.
 */
public class SecurityHeaders {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @ServerResponseFilter
    public void headers(ContainerResponseContext response) {
        MediaType type = response.getMediaType();
        if (type != null && type.isCompatible(MediaType.TEXT_HTML_TYPE)) {
            var h = response.getHeaders();
            h.putSingle("Content-Security-Policy", CSP);
            h.putSingle("X-Content-Type-Options", "nosniff");
            h.putSingle("X-Frame-Options", "DENY");
            h.putSingle("Referrer-Policy", "same-origin");
            h.putSingle("Cache-Control", "no-store");
        }
    }
}
