package dev.registrymesh.testkit;

import com.sun.net.httpserver.HttpServer;
import dev.registrymesh.common.auth.Access;
import dev.registrymesh.common.auth.AccessClaim;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;

/**
 * A small real JWKS endpoint for services under test with token enforcement on, on 127.0.0.1 and a free port,
 * plus the means to sign tokens its keys verify. Keys are made here and written (with private parts) to a
 * temp dir; the endpoint serves the public part of {@code served.json} on every request, so a test can
 * "rotate" by rewriting that file. Keys: {@code rsa} and {@code ec} (served), {@code rotated} (not yet served)
 * and {@code stranger} (never served).
 */
public class JwksTestServer implements QuarkusTestResourceLifecycleManager {
    public static final String ISSUER = "test-issuer";
    public static final String SERVICE = "registry.test:5000";
    public static final String REALM = "http://auth.test:5001/token";
    private static volatile Path dir;
    private HttpServer server;

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
            serve(rsa, ec);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/.well-known/jwks.json", exchange -> {
                byte[] body = Files.readAllBytes(dir.resolve("served.json"));
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            return Map.of(
                    "mesh.auth.enabled", "true",
                    "mesh.auth.realm", REALM,
                    "mesh.auth.jwks-url", base + "/.well-known/jwks.json",
                    "mesh.auth.service", SERVICE,
                    "mesh.auth.issuer", ISSUER,
                    "mesh.auth.jwks-min-refetch", "1s",
                    "test.keys.dir", dir.toString());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the JWKS test server", e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Where the keys are, with their private parts ({@code <name>.json}) and the served set. */
    public static Path keysDir() {
        return dir;
    }

    /** Replaces the served key set (a key rotation as the auth service would publish it). */
    public static void serve(PublicJsonWebKey... keys) {
        write("served.json", new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
    }

    public static PublicJsonWebKey key(String name) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(Files.readString(dir.resolve(name + ".json")));
        } catch (Exception e) {
            throw new IllegalStateException("no test key " + name, e);
        }
    }

    /** Claims as the auth service issues them, valid for 5 minutes, for {@link #SERVICE}; "" subject = anonymous. */
    public static JwtClaims claims(String subject, List<Access> access) {
        long now = System.currentTimeMillis() / 1000;
        JwtClaims c = new JwtClaims();
        c.setIssuer(ISSUER);
        c.setSubject(subject);
        c.setAudience(SERVICE);
        c.setIssuedAt(NumericDate.fromSeconds(now));
        c.setNotBefore(NumericDate.fromSeconds(now));
        c.setExpirationTime(NumericDate.fromSeconds(now + 300));
        c.setGeneratedJwtId();
        c.setClaim("access", AccessClaim.write(access));
        return c;
    }

    public static String sign(String keyName, String alg, JwtClaims claims) {
        try {
            PublicJsonWebKey k = key(keyName);
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(k.getPrivateKey());
            jws.setKeyIdHeaderValue(k.getKeyId());
            jws.setAlgorithmHeaderValue(alg);
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid RS256 token for {@code subject} ("" = anonymous) granting {@code access}. */
    public static String token(String subject, List<Access> access) {
        return sign("rsa", AlgorithmIdentifiers.RSA_USING_SHA256, claims(subject, access));
    }

    private static void write(String name, String content) {
        try {
            Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
