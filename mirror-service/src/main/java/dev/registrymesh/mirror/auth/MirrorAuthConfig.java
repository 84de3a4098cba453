package dev.registrymesh.mirror.auth;

import dev.registrymesh.common.http.TokenAuthSettings;
import io.smallrye.config.ConfigMapping;

/** How the mirror checks its clients' tokens ({@code mesh.auth.*}, e.g. env {@code MESH_AUTH_ENABLED}). */
@ConfigMapping(prefix = "mesh.auth")
public interface MirrorAuthConfig extends TokenAuthSettings {
}
