package dev.registrymesh.common.http;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * How a service checks the auth service's tokens ({@code mesh.auth.*}, e.g. env {@code MESH_AUTH_ENABLED}).
 * Each service maps it with its own {@code @ConfigMapping(prefix = "mesh.auth")} interface extending this one.
 */
public interface TokenAuthSettings {

    /** Demand bearer tokens on /v2. */
    @WithDefault("true")
    boolean enabled();

    /** The public token URL clients are sent to in the challenge. */
    @WithDefault("${mesh.auth-url:http://127.0.0.1:5001}/token")
    String realm();

    /** Where the verification keys come from (the auth service's JWKS). */
    @WithDefault("${mesh.auth-url:http://127.0.0.1:5001}/.well-known/jwks.json")
    String jwksUrl();

    /**
     * The service name in the challenge and the audience tokens must carry. Unset: the Host the client used,
     * which is what Docker clients ask tokens for; set it when one auth server serves several services.
     */
    Optional<String> service();

    /** The issuer tokens must carry. */
    @WithDefault("registry-mesh-auth")
    String issuer();

    /** Tolerance for clock differences when checking exp, nbf and iat. */
    @WithDefault("30s")
    Duration clockSkew();

    /** Least time between two JWKS fetches (an unknown kid triggers one). */
    @WithDefault("10s")
    Duration jwksMinRefetch();

    /** How long fetched keys are used before they are read again. */
    @WithDefault("5m")
    Duration jwksMaxAge();
}
