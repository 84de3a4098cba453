package dev.registrymesh.registry.auth;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;

/**
 * A small real JWKS endpoint for the auth-enabled registry tests, on 127.0.0.1 and a free port. Keys are made
 * here and written (with private parts) to a temp dir the tests read; the endpoint serves the public part of
 * {@code served.json} on every request, so a test can "rotate" by rewriting that file.
 */
public class JwksTestServer implements QuarkusTestResourceLifecycleManager {
    static final String ISSUER = "test-issuer";
    static final String SERVICE = "registry.test:5000";
    private Vertx vertx;
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("jwks-test");
            PublicJsonWebKey rsa = RsaJwkGenerator.generateJwk(2048);
            PublicJsonWebKey ec = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            PublicJsonWebKey rotated = RsaJwkGenerator.generateJwk(2048);
            PublicJsonWebKey stranger = RsaJwkGenerator.generateJwk(2048);
            for (PublicJsonWebKey k : new PublicJsonWebKey[] {rsa, ec, rotated}) {
                k.setKeyId(k.calculateBase64urlEncodedThumbprint("SHA-256"));
            }
            stranger.setKeyId("stranger");
            write("rsa.json", rsa.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
            write("ec.json", ec.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
            write("rotated.json", rotated.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
            write("stranger.json", stranger.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
            write("served.json", new JsonWebKeySet(rsa, ec).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
            vertx = Vertx.vertx();
            HttpServer server = vertx.createHttpServer().requestHandler(req -> {
                if (!req.path().equals("/.well-known/jwks.json")) {
                    req.response().setStatusCode(404).end();
                    return;
                }
                vertx.fileSystem().readFile(dir.resolve("served.json").toString()).onComplete(ar -> {
                    if (ar.failed()) {
                        req.response().setStatusCode(500).end();
                    } else {
                        req.response().putHeader("Content-Type", "application/json").end(ar.result());
                    }
                });
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            String base = "http://127.0.0.1:" + server.actualPort();
            return Map.of(
                    "mesh.auth.enabled", "true",
                    "mesh.auth.realm", "http://auth.test:5001/token",
                    "mesh.auth.jwks-url", base + "/.well-known/jwks.json",
                    "mesh.auth.service", SERVICE,
                    "mesh.auth.issuer", ISSUER,
                    "mesh.auth.jwks-min-refetch", "1s",
                    "test.keys.dir", dir.toString());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the JWKS test server", e);
        }
    }

    private void write(String name, String content) throws java.io.IOException {
        Files.writeString(dir.resolve(name), content);
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
