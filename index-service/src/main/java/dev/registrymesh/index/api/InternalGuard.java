package dev.registrymesh.index.api;

import dev.registrymesh.index.access.Secrets;
import dev.registrymesh.index.config.MeshConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Keeps /internal/v1 for the mesh's own services: with MESH_INTERNAL_TOKEN set, callers must send it in
 * X-Mesh-Internal-Token; without it, only loopback callers get in.
 */
public class InternalGuard {
    public static final String HEADER = "X-Mesh-Internal-Token";

    @Inject
    MeshConfig config;

    @ServerRequestFilter
    public Response check(ContainerRequestContext ctx, HttpServerRequest request) {
        String path = ctx.getUriInfo().getPath();
        if (!path.startsWith("/internal/")) {
            return null;
        }
        String expected = config.internalToken().filter(t -> !t.isBlank()).orElse(null);
        if (expected != null) {
            return Secrets.constantTimeEquals(expected, ctx.getHeaderString(HEADER)) ? null
                    : ErrorMappers.error(403, ErrorMappers.body("DENIED", "missing or wrong " + HEADER));
        }
        return isLoopback(request.remoteAddress() == null ? null : request.remoteAddress().host()) ? null
                : ErrorMappers.error(403, ErrorMappers.body("DENIED", "the internal API only answers loopback callers unless MESH_INTERNAL_TOKEN is set"));
    }

    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        try {
            // The host is an IP literal here, so no name lookup happens.
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
