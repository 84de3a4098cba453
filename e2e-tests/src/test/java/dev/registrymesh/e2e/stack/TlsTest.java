package dev.registrymesh.e2e.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.Commands;
import dev.registrymesh.testkit.FreePort;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestCertificates;
import dev.registrymesh.testkit.TestImages;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS from MESH_TLS_CERT / MESH_TLS_KEY: registry and auth-service serve TLS on MESH_TLS_PORT, the challenge
 * sends clients to an https realm (MESH_AUTH_REALM), skopeo pushes and pulls verifying our CA; the management
 * port stays plain HTTP; a renewed certificate is served without a restart (MESH_TLS_RELOAD_PERIOD).
 */
class TlsTest {
    private static final String ALICE = "alice:alice-tls-password";

    @TempDir
    static Path work;
    private static MeshStack mesh;
    private static TestCertificates ca;
    private static Path servedCert;
    private static Path servedKey;
    private static int registryTlsPort;
    private static TestImages.Image image;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(Skopeo.available(), "skopeo is not installed");
        Assumptions.assumeTrue(TestCertificates.available(), "openssl is not installed");
        ca = TestCertificates.newCa(work.resolve("ca"), "mesh test CA");
        TestCertificates.Server first = ca.issue("server", "127.0.0.1", List.of("127.0.0.1", "localhost"));
        // Served from a copy, so that the test can renew it in place as certbot would.
        servedCert = Files.copy(first.cert(), work.resolve("tls.crt"));
        servedKey = Files.copy(first.key(), work.resolve("tls.key"));
        Files.createDirectories(work.resolve("client-certs"));
        Files.copy(ca.caCert(), work.resolve("client-certs/ca.crt"));

        registryTlsPort = FreePort.find();
        int authTlsPort = FreePort.find();
        Map<String, String> tls = Map.of("MESH_TLS_CERT", servedCert.toString(), "MESH_TLS_KEY", servedKey.toString());
        Map<String, String> authEnv = new java.util.HashMap<>(tls);
        authEnv.put("MESH_TLS_PORT", Integer.toString(authTlsPort));
        Map<String, String> registryEnv = new java.util.HashMap<>(tls);
        registryEnv.put("MESH_TLS_PORT", Integer.toString(registryTlsPort));
        registryEnv.put("MESH_TLS_RELOAD_PERIOD", "1s");
        registryEnv.put("MESH_AUTH_REALM", "https://127.0.0.1:" + authTlsPort + "/token");
        mesh = MeshStack.start(Map.of(), authEnv, registryEnv, dev.registrymesh.testkit.FreePort.find());
        String[] alice = ALICE.split(":", 2);
        assertEquals(201, mesh.call("POST", "/api/v1/users", "admin:" + MeshStack.ADMIN_PASSWORD,
                Map.of("name", alice[0], "password", alice[1])).status());
        image = TestImages.writeImage(work.resolve("src"), 7, 2, 50_000, "v1");
    }

    @AfterAll
    static void stop() {
        Closing.all(mesh);
    }

    @Test
    void skopeoPushesAndPullsOverTlsWithTheTokenRealmOnHttps() {
        String ref = "docker://127.0.0.1:" + registryTlsPort + "/alice/app:v1";
        String certDir = work.resolve("client-certs").toString();
        Skopeo.Result push = Skopeo.copy(image.ociRef(), ref, "--dest-creds", ALICE, "--dest-tls-verify=true",
                "--dest-cert-dir", certDir);
        assertTrue(push.ok(), push.stderr() + mesh.logs());
        Skopeo.Result inspect = Skopeo.inspect(ref, "--creds", ALICE, "--tls-verify=true", "--cert-dir", certDir);
        assertTrue(inspect.ok(), inspect.stderr());

        // Another CA's certificates are not ours: verification fails, nothing falls back to plain HTTP.
        TestCertificates other = TestCertificates.newCa(work.resolve("other-ca"), "someone else");
        Path otherDir = work.resolve("other-certs");
        try {
            Files.createDirectories(otherDir);
            Files.copy(other.caCert(), otherDir.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Skopeo.Result refused = Skopeo.inspect(ref, "--creds", ALICE, "--tls-verify=true", "--cert-dir", otherDir.toString());
        assertFalse(refused.ok(), "a certificate of an unknown CA was accepted");
        assertTrue(refused.stderr().contains("x509") || refused.stderr().contains("certificate"), refused.stderr());
    }

    @Test
    void managementPortStaysPlainHttp() {
        assertEquals(200, Commands.httpStatus(mesh.registry.managementUrl() + "/q/health/ready"));
        assertEquals(200, Commands.httpStatus(mesh.auth.managementUrl() + "/q/health/ready"));
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        // A handshake that meets a reload (every second here) may be cut: ask again.
        BigInteger before = MeshStack.await(java.time.Duration.ofSeconds(20), () -> {
            try {
                return servedSerial();
            } catch (IOException e) {
                return null;
            }
        }, () -> "no TLS handshake with the registry");
        TestCertificates.Server renewed = ca.issue("renewed", "127.0.0.1", List.of("127.0.0.1", "localhost"));
        // Key first, then certificate: a reload between the two fails and keeps the old pair.
        Files.copy(renewed.key(), servedKey, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(renewed.cert(), servedCert, StandardCopyOption.REPLACE_EXISTING);
        BigInteger after = MeshStack.await(java.time.Duration.ofSeconds(20), () -> {
            try {
                BigInteger now = servedSerial();
                return now.equals(before) ? null : now;
            } catch (IOException e) {
                return null;
            }
        }, () -> "still serving serial " + before);
        assertNotEquals(before, after);
        assertTrue(mesh.registry.isAlive());
    }

    /** The serial number of the certificate the registry's TLS port presents now (a fresh connection each time). */
    private static BigInteger servedSerial() throws IOException {
        X509Certificate[] seen = new X509Certificate[1];
        TrustManager recordAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen[0] = chain[0];
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {recordAll}, null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", registryTlsPort)) {
                socket.setSoTimeout(5000);
                socket.startHandshake();
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        return seen[0].getSerialNumber();
    }
}
