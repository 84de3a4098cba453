package dev.registrymesh.mirror.http;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * No cleartext HTTP/2 upgrade ({@code Upgrade: h2c}): registry clients speak HTTP/1.1 on plain connections,
 * and an upgrade buffers request bodies whole. Same choice as registry-service.
 */
@ApplicationScoped
public class NoCleartextHttp2Upgrade implements HttpServerOptionsCustomizer {
    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
