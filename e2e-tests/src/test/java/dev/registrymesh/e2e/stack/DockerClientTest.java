package dev.registrymesh.e2e.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.testkit.Closing;
import dev.registrymesh.testkit.DockerEngine;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker engine itself against the mesh, as a user's machine runs it: {@code docker login}, {@code push},
 * {@code pull}, an anonymous pull refused and then allowed once the repository is public, and
 * {@code docker search HOST/term} against index-service.
 */
class DockerClientTest {
    private static MeshStack mesh;
    private static DockerEngine docker;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(DockerEngine.available(), "needs root and Debian's docker.io (./mesh test installs it as root)");
        mesh = MeshStack.start();
        docker = DockerEngine.start(List.of());
        MeshStack.Answer created = mesh.call("POST", "/api/v1/users", "admin:" + MeshStack.ADMIN_PASSWORD,
                Map.of("name", "dora", "password", "dora-e2e-password"));
        assertEquals(201, created.status(), created.toString());
    }

    @AfterAll
    static void stop() {
        Closing.all(docker, mesh);
    }

    @Test
    void loginPushPullAndSearch() {
        String image = mesh.registry.hostPort() + "/dora/hello:1.0";
        Skopeo.Result imported = docker.docker("import", rootfs().toString(), image);
        assertTrue(imported.ok(), imported.stderr());

        Skopeo.Result anonymousPush = docker.docker("push", image);
        assertFalse(anonymousPush.ok(), "an anonymous push is refused");

        Skopeo.Result login = docker.dockerWithInput("dora-e2e-password", "login", mesh.registry.hostPort(), "-u", "dora", "--password-stdin");
        assertTrue(login.ok(), login.stderr() + mesh.logs());
        Skopeo.Result push = docker.docker("push", image);
        assertTrue(push.ok(), push.stderr() + mesh.logs());

        assertTrue(docker.docker("rmi", image).ok());
        Skopeo.Result pull = docker.docker("pull", image);
        assertTrue(pull.ok(), pull.stderr() + mesh.logs());

        assertTrue(docker.docker("logout", mesh.registry.hostPort()).ok());
        assertTrue(docker.docker("rmi", image).ok());
        Skopeo.Result privatePull = docker.docker("pull", image);
        assertFalse(privatePull.ok(), "the repository is private until made public");

        MeshStack.Answer published = mesh.call("PATCH", "/api/v1/repositories/dora/hello", "dora:dora-e2e-password",
                Map.of("visibility", "public", "description", "hello from docker"));
        assertEquals(200, published.status(), published.toString());
        MeshStack.await(Duration.ofSeconds(15), () -> docker.docker("pull", image).ok() ? true : null,
                () -> "anonymous pull of the public repository" + mesh.logs());

        Skopeo.Result search = docker.docker("search", mesh.index.hostPort() + "/hello");
        assertTrue(search.ok(), search.stderr());
        assertTrue(search.stdout().contains("dora/hello") && search.stdout().contains("hello from docker"), search.stdout());
    }

    /** A one-file root filesystem, for {@code docker import}. */
    private static Path rootfs() {
        return TestImages.writeSingleFileTar(work.resolve("rootfs.tar"), "hello.txt", "hello from the mesh\n".getBytes(StandardCharsets.UTF_8));
    }
}
