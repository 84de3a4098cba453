package dev.registrymesh.common.http;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The guard of the services' internal and admin endpoints: with {@code MESH_INTERNAL_TOKEN} set, callers must
 * send it as {@value #HEADER}; without it, only loopback callers are served.
 */
public final class InternalCallers {
    public static final String HEADER = "X-Mesh-Internal-Token";

    private InternalCallers() {
    }

    /** Throws DENIED (403) unless the request comes from one of the mesh's own services or operators. */
    public static void require(RoutingContext ctx, Optional<String> internalToken) {
        String expected = internalToken.filter(t -> !t.isBlank()).orElse(null);
        if (expected == null) {
            if (!isLoopback(ctx.request().remoteAddress())) {
                throw new OciException(ErrorCode.DENIED, "internal endpoints serve loopback callers only when MESH_INTERNAL_TOKEN is unset");
            }
            return;
        }
        String given = ctx.request().getHeader(HEADER);
        if (given == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            throw new OciException(ErrorCode.DENIED, "missing or wrong " + HEADER);
        }
    }

    private static boolean isLoopback(SocketAddress address) {
        if (address == null || address.hostAddress() == null) {
            return false;
        }
        try {
            // An IP literal: no name lookup happens.
            return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
