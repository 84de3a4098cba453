package dev.registrymesh.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A base image made here, since no image registry on the internet can be reached: Debian bookworm by
 * {@code debootstrap --variant=minbase} with a JRE 17, haproxy and redis-server (one image serves as the services'
 * base and as the compose stack's balancer and Redis). Debian's package mirror is reachable. The root file system
 * is kept as a tar under {@code ~/.cache/registry-mesh/base/} (or {@code $REGISTRY_MESH_CACHE/base/}): a few
 * minutes the first time, nothing afterwards. A lock file keeps concurrent builds from debootstrapping twice.
 */
public final class DebianBaseImage {
    public static final String PACKAGES = "openjdk-17-jre-headless,haproxy,redis-server";
    /** Change it when PACKAGES or the trimming change: a new name, a new cache entry. */
    public static final String VERSION = "bookworm-jre17-haproxy-redis-1";
    public static final String DEBOOTSTRAP = "/usr/sbin/debootstrap";
    private static final Duration DEBOOTSTRAP_TIMEOUT = Duration.ofMinutes(20);

    private DebianBaseImage() {
    }

    /** debootstrap is installed and we are root (it chroots and makes device nodes). */
    public static boolean available() {
        return Commands.installed(DEBOOTSTRAP) && "root".equals(System.getProperty("user.name"));
    }

    public static Path cacheDir() {
        String configured = System.getenv("REGISTRY_MESH_CACHE");
        Path root = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "registry-mesh");
        return root.resolve("base");
    }

    /** The root file system as a tar ({@code docker import} input), made on first use. */
    public static Path rootfsTar() {
        Path dir = cacheDir();
        Path tar = dir.resolve(VERSION + ".tar");
        if (Files.isRegularFile(tar)) {
            return tar;
        }
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                if (Files.isRegularFile(tar)) {
                    return tar; // made by another build while we waited
                }
                Path work = Files.createTempDirectory(dir, "debootstrap-");
                try {
                    make(work, tar);
                } finally {
                    ChildProcess.deleteTree(work);
                }
            }
            return tar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void make(Path work, Path tar) throws IOException {
        Path rootfs = work.resolve("rootfs");
        String mirror = System.getenv().getOrDefault("DEBIAN_MIRROR", "http://deb.debian.org/debian");
        Commands.run(DEBOOTSTRAP_TIMEOUT, Map.of(), work, DEBOOTSTRAP, "--variant=minbase", "--include=" + PACKAGES,
                "bookworm", rootfs.toString(), mirror).orFailWith("debootstrap");
        // What a container never needs: package caches and lists, documentation, translations.
        Commands.run(Duration.ofMinutes(2), Map.of(), rootfs, "sh", "-c",
                "rm -rf var/cache/apt/archives/*.deb var/cache/apt/*.bin var/lib/apt/lists/* usr/share/doc/* "
                        + "usr/share/man/* usr/share/locale/* var/log/*.log").orFailWith("trim");
        Path partial = work.resolve("rootfs.tar");
        Commands.run(Duration.ofMinutes(5), Map.of(), work, List.of("tar", "--numeric-owner", "-C", rootfs.toString(),
                "--exclude=./dev/*", "--exclude=./proc/*", "--exclude=./sys/*", "-cf", partial.toString(), "."))
                .orFailWith("tar");
        Files.move(partial, tar, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Makes the root file system tar when it is not cached yet, and prints its path. The network-namespace launcher of
     * the container image test (e2e-tests/src/test/netns/bin/java) runs this with the machine's network before it
     * enters a namespace that has none. Prints why and does nothing when debootstrap or root is missing (the test
     * skips then).
     */
    public static void main(String[] args) {
        if (!available()) {
            System.out.println("no base image: needs root and " + DEBOOTSTRAP);
            return;
        }
        System.out.println(rootfsTar());
    }

    /**
     * Imports the root file system into {@code engine} as {@code name} (with a PATH, which a plain import lacks).
     */
    public static void importInto(DockerEngine engine, String name) {
        Skopeo.Result result = engine.docker("import", "--change",
                "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", rootfsTar().toString(), name);
        result.orFailWith("docker import");
    }
}
