package dev.registrymesh.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and server certificates it signs, made with the {@code openssl} CLI (PEM files, P-256 keys): what
 * a user gets from their own CA, so the services and clients read exactly the files a deployment would.
 */
public final class TestCertificates {
    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/openssl"));
    }

    /** A new CA in {@code dir}: {@code ca.crt}, {@code ca.key}. */
    public static TestCertificates newCa(Path dir, String name) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return new TestCertificates(dir);
    }

    public Path caCert() {
        return dir.resolve("ca.crt");
    }

    /** A server certificate for {@code names} (IP addresses or DNS names), written as {@code <file>.crt} and {@code <file>.key}. */
    public Server issue(String file, String commonName, List<String> names) {
        List<String> sans = new ArrayList<>();
        for (String name : names) {
            sans.add((name.matches("[0-9.]+|.*:.*") ? "IP:" : "DNS:") + name);
        }
        Path ext = dir.resolve(file + ".ext");
        try {
            Files.writeString(ext, "subjectAltName=" + String.join(",", sans)
                    + "\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", file + ".key", "-out", file + ".csr", "-subj", "/CN=" + commonName);
        openssl(dir, "x509", "-req", "-in", file + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", ext.getFileName().toString(), "-out", file + ".crt");
        return new Server(dir.resolve(file + ".crt"), dir.resolve(file + ".key"));
    }

    public record Server(Path cert, Path key) {
    }

    private static void openssl(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
