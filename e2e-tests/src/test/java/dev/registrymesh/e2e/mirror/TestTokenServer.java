package dev.registrymesh.e2e.mirror;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Docker token server for CNCF Distribution in tests: one user, RS256 JWTs carrying the signing certificate
 * in {@code x5c} (a keytool-made self-signed certificate, which is also the registry's root bundle). Grants
 * whatever scope is asked to the right basic credentials, and pull to anonymous callers only when told.
 */
final class TestTokenServer implements AutoCloseable {
    static final String SERVICE = "distribution.test";
    static final String ISSUER = "mirror-test-issuer";

    private final HttpServer server;
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Path rootBundle;
    private final String username;
    private final String password;
    final AtomicInteger tokensIssued = new AtomicInteger();

    TestTokenServer(Path dir, String username, String password) throws Exception {
        this.username = username;
        this.password = password;
        Path store = dir.resolve("signing.p12");
        Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-alias", "signing", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=mirror-test-token", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        if (keytool.waitFor() != 0) {
            throw new IllegalStateException("keytool failed");
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        key = (PrivateKey) ks.getKey("signing", "changeit".toCharArray());
        certificate = (X509Certificate) ks.getCertificate("signing");
        rootBundle = dir.resolve("root.pem");
        Files.writeString(rootBundle, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", exchange -> {
            Map<String, String> query = new HashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            if (raw != null) {
                for (String pair : raw.split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String expected = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(auth)) {
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            String body = "{\"token\":\"" + token(query.get("scope")) + "\",\"expires_in\":300}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
            tokensIssued.incrementAndGet();
        });
        server.start();
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    Path rootBundle() {
        return rootBundle;
    }

    private String token(String scope) {
        StringBuilder access = new StringBuilder("[");
        if (scope != null) {
            String[] parts = scope.split(":");
            if (parts.length == 3 && "repository".equals(parts[0])) {
                access.append("{\"type\":\"repository\",\"name\":\"").append(parts[1]).append("\",\"actions\":[");
                List<String> actions = List.of(parts[2].split(","));
                for (int i = 0; i < actions.size(); i++) {
                    access.append(i > 0 ? "," : "").append('"').append(actions.get(i)).append('"');
                }
                access.append("]}");
            }
        }
        access.append(']');
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5c\":[\"" + Base64.getEncoder().encodeToString(encoded()) + "\"]}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + username + "\",\"aud\":\"" + SERVICE + "\",\"exp\":" + (now + 300)
                + ",\"nbf\":" + (now - 10) + ",\"iat\":" + now + ",\"jti\":\"" + UUID.randomUUID() + "\",\"access\":" + access + "}";
        String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64(signature.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] encoded() {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
