package dev.registrymesh.registry.http;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns off the cleartext HTTP/2 upgrade ({@code Upgrade: h2c}). An upgrade request's body is buffered
 * whole before the switch, so a client that offers it with a large blob (Java's HttpClient does) would be
 * cut off. Registry clients speak HTTP/1.1 on plain connections; HTTP/2 over TLS is unaffected.
 */
@ApplicationScoped
public class NoCleartextHttp2Upgrade implements HttpServerOptionsCustomizer {
    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
