package dev.registrymesh.auth.keys;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Signing keys on disk, one file per key: {@code <dir>/<created epoch ms>-<kid>.pem} holding a PKCS#8
 * {@code PRIVATE KEY} block and its {@code CERTIFICATE} block, readable by the owner only. Every file in the
 * directory is a live key (published); the newest active one signs ({@link KeyRing}). To retire a key, delete
 * its file once the tokens it signed have expired. Several auth-service nodes may share the directory (a volume,
 * a mounted secret): a lock file keeps two first starts from each making a key.
 */
public final class KeyDirectory {
    static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(3650);
    private final Path dir;

    public KeyDirectory(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** All keys found, newest first. */
    public List<SigningKey> load() throws IOException {
        List<SigningKey> keys = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return keys;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pem")) {
            for (Path file : files) {
                keys.add(read(file));
            }
        }
        keys.sort((a, b) -> b.created().compareTo(a.created()));
        return keys;
    }

    /** Loads the keys, generating one first if there is none (or if {@code rotate} asks for a new one). */
    public KeyRing loadOrCreate(String algorithm, boolean rotate) throws IOException {
        Files.createDirectories(dir);
        // The file lock keeps other processes out; it is held per JVM, so threads of this one queue first.
        synchronized (KeyDirectory.class) {
            try (FileChannel lock = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = lock.lock()) {
                List<SigningKey> keys = load();
                if (keys.isEmpty() || rotate) {
                    generate(algorithm, Instant.now());
                    keys = load();
                }
                return new KeyRing(keys);
            }
        }
    }

    public SigningKey generate(String algorithm, Instant now) throws IOException {
        KeyPair pair = newKeyPair(algorithm);
        X509Certificate cert = SelfSignedCertificates.create(pair,
                "registry-mesh-auth token signing " + SigningKey.thumbprint(pair.getPublic()).substring(0, 16),
                now.minus(Duration.ofHours(1)), CERTIFICATE_VALIDITY);
        SigningKey key = SigningKey.of(pair.getPrivate(), cert, now);
        Files.createDirectories(dir);
        String content = Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()) + Pem.encode("CERTIFICATE", encoded(cert));
        Path tmp = Files.createTempFile(dir, ".new-", ".tmp");
        try {
            restrict(tmp);
            Files.writeString(tmp, content);
            Path target = dir.resolve(now.toEpochMilli() + "-" + key.kid() + ".pem");
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return key;
    }

    static KeyPair newKeyPair(String algorithm) {
        try {
            KeyPairGenerator gen;
            switch (algorithm) {
                case "RS256" -> {
                    gen = KeyPairGenerator.getInstance("RSA");
                    gen.initialize(2048);
                }
                case "ES256" -> {
                    gen = KeyPairGenerator.getInstance("EC");
                    gen.initialize(new ECGenParameterSpec("secp256r1"));
                }
                default -> throw new IllegalArgumentException("mesh.auth.key-algorithm must be RS256 or ES256, not " + algorithm);
            }
            return gen.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SigningKey read(Path file) throws IOException {
        byte[] keyDer = null;
        X509Certificate cert = null;
        for (Pem.Block block : Pem.decode(Files.readString(file))) {
            if (block.label().equals("PRIVATE KEY")) {
                keyDer = block.der();
            } else if (block.label().equals("CERTIFICATE")) {
                cert = Pem.certificate(block.der());
            }
        }
        if (keyDer == null || cert == null) {
            throw new IOException(file + " must hold a PRIVATE KEY and a CERTIFICATE block");
        }
        try {
            PrivateKey priv = KeyFactory.getInstance(cert.getPublicKey().getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(keyDer));
            String name = file.getFileName().toString();
            int dash = name.indexOf('-');
            Instant created = dash > 0 && name.substring(0, dash).matches("[0-9]+")
                    ? Instant.ofEpochMilli(Long.parseLong(name.substring(0, dash)))
                    : Files.getLastModifiedTime(file).toInstant();
            return SigningKey.of(priv, cert, created);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the private key in " + file, e);
        }
    }

    private static byte[] encoded(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: rely on the directory's protection
        }
    }
}
