package dev.registrymesh.registry.auth;

import dev.registrymesh.common.http.TokenAuthSettings;
import io.smallrye.config.ConfigMapping;

/** Token enforcement settings of the registry ({@code mesh.auth.*}, e.g. env {@code MESH_AUTH_ENABLED}). */
@ConfigMapping(prefix = "mesh.auth")
public interface RegistryAuthConfig extends TokenAuthSettings {
}
