package dev.registrymesh.mirror.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * One upstream registry: its alias (a registry host name, as clients write it), base URL, tag TTL, how long
 * to leave it alone after it could not be reached, and optional credentials for its token server or basic auth.
 */
public record Upstream(String alias, URI baseUrl, Duration tagTtl, Duration backoff, Optional<String> username,
        Optional<String> password) {

    public boolean isDockerHub() {
        return "docker.io".equals(alias);
    }

    /** A file- and key-safe form of the alias: {@code registry.internal:5000} -> {@code registry-internal-5000}. */
    public String slug() {
        return Upstreams.slug(alias);
    }

    @Override
    public String toString() {
        return alias + "=" + baseUrl; // never the credentials
    }
}
