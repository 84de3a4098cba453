package dev.registrymesh.e2e.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.testkit.FreePort;
import dev.registrymesh.testkit.ServiceProcess;
import dev.registrymesh.testkit.Skopeo;
import dev.registrymesh.testkit.TestImages;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, paths set
 * explicitly so Selenium Manager never downloads anything), against the real services: sign-in, search, a
 * repository and an image pushed by skopeo, tokens used by skopeo, private repositories, CSRF, the mirror page.
 * With MESH_SCREENSHOTS=<dir> set, it saves the README's screenshots there.
 */
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ALICE_PASSWORD = "alice-console-password";
    private static final String BOB_PASSWORD = "bob-console-password";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static MeshStack mesh;
    private static ServiceProcess mirror;
    private static TestImages.Image image;
    private static ChromeDriverService driverService;
    private static WebDriver browser;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        Assumptions.assumeTrue(Skopeo.available(), "skopeo is not installed");
        int registryPort = FreePort.find();
        int mirrorPort = FreePort.find();
        int mirrorManagementPort = FreePort.find();
        // A long throttle delay, so that a throttled sign-in is still throttled when the test looks.
        mesh = MeshStack.start(Map.of("MESH_MIRROR_URL", "http://127.0.0.1:" + mirrorPort,
                "MESH_MIRROR_MANAGEMENT_URL", "http://127.0.0.1:" + mirrorManagementPort,
                "MIRROR_UPSTREAMS", "mesh.test=http://127.0.0.1:" + registryPort,
                "MESH_INDEX_THROTTLE_BASE_DELAY", "20s"), Map.of(), Map.of(), registryPort);
        assertEquals(201, mesh.call("POST", "/api/v1/users", admin(), Map.of("name", "alice", "password", ALICE_PASSWORD)).status());
        assertEquals(201, mesh.call("POST", "/api/v1/users", admin(), Map.of("name", "bob", "password", BOB_PASSWORD)).status());
        image = TestImages.writeImage(work.resolve("image"), 4242, 3, 30_000, "1.0");
        Skopeo.copy(image.ociRef(), mesh.ref("alice/app:1.0"), "--dest-creds", "alice:" + ALICE_PASSWORD).orFail();
        Skopeo.copy(image.ociRef(), mesh.ref("alice/private-app:1.0"), "--dest-creds", "alice:" + ALICE_PASSWORD).orFail();
        TestImages.Image multi = TestImages.writeIndex(work.resolve("multi"), 99, List.of("linux/amd64", "linux/arm64"), 1, 10_000, "2.0");
        Skopeo.copy(multi.ociRef(), mesh.ref("alice/app:2.0"), "--all", "--dest-creds", "alice:" + ALICE_PASSWORD).orFail();
        // A first push makes a private record (the default): alice/app is made public, alice/private-app stays private.
        // Events arrive asynchronously; the tags' push times order the tag list.
        MeshStack.await(Duration.ofSeconds(20), () -> tagCount("alice/app") == 2 && tagCount("alice/private-app") == 1 ? true : null,
                mesh::logs);
        assertEquals(200, mesh.call("PATCH", "/api/v1/repositories/alice/app", alice(),
                Map.of("visibility", "public", "description", "the demo application")).status());
        mirror = ServiceProcess.builder("mirror-service").port(mirrorPort)
                .env("QUARKUS_MANAGEMENT_PORT", Integer.toString(mirrorManagementPort))
                .env("MIRROR_UPSTREAMS", "mesh.test=" + mesh.registry.url())
                .env("MIRROR_DEFAULT_UPSTREAM", "mesh.test")
                .env("MIRROR_UPSTREAM_MESH_TEST_USERNAME", "alice")
                .env("MIRROR_UPSTREAM_MESH_TEST_PASSWORD", ALICE_PASSWORD)
                .env("MESH_AUTH_ENABLED", "true")
                .env("MESH_AUTH_URL", mesh.auth.url())
                .env("MESH_INTERNAL_TOKEN", MeshStack.INTERNAL_TOKEN)
                .jvmArg("-Xmx128m")
                .start();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1200,800",
                "--hide-scrollbars", "--lang=en-US");
        driverService = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(driverService, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (driverService != null) {
            driverService.stop();
        }
        if (mirror != null) {
            mirror.stop();
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    @BeforeEach
    void freshBrowser() {
        open("/");
        browser.manage().deleteAllCookies();
    }

    @AfterEach
    void signOutQuietly() {
        browser.manage().deleteAllCookies();
    }

    @Test
    void signInSearchAndOpenARepositoryAndAnImagePushedBySkopeo() {
        signIn("alice", ALICE_PASSWORD);
        assertTrue(text(By.tagName("nav")).contains("alice"), "signed in as alice");
        assertTrue(text(By.cssSelector("table.repositories")).contains("alice/private-app"), "her private repository is listed for her");
        screenshot("home");

        WebElement search = browser.findElement(By.name("q"));
        search.sendKeys("app", Keys.ENTER);
        waitFor(By.id("result-count"));
        assertTrue(text(By.cssSelector("table.repositories")).contains("alice/app"));
        screenshot("search");

        browser.findElement(By.linkText("alice/app")).click();
        waitFor(By.id("repository-name"));
        String tags = text(By.cssSelector("table.tags tbody"));
        assertTrue(tags.indexOf("2.0") < tags.indexOf("1.0"), "newest first: " + tags);
        assertTrue(tags.contains("linux/amd64, linux/arm64"), "platforms of the index: " + tags);
        screenshot("repository");

        browser.findElement(By.linkText("1.0")).click();
        waitFor(By.id("image-reference"));
        assertEquals("docker pull " + mesh.registry.hostPort() + "/alice/app:1.0", text(By.id("pull-command")));
        assertEquals(image.manifest().digest(), text(By.id("digest")));
        assertTrue(text(By.id("pull-by-digest")).endsWith("/alice/app@" + image.manifest().digest()));
        List<TestImages.Blob> layers = image.blobs().stream().filter(b -> b.mediaType().contains("layer")).toList();
        List<WebElement> rows = browser.findElements(By.cssSelector("table.layers tbody tr"));
        assertEquals(layers.size(), rows.size(), "one row per layer");
        for (int i = 0; i < layers.size(); i++) {
            String row = rows.get(i).getText();
            assertTrue(row.contains(layers.get(i).digest().substring(0, 19)), row);
            assertTrue(row.endsWith(bytes(layers.get(i).size())), row + " ends with " + bytes(layers.get(i).size()));
        }
        assertTrue(text(By.id("config")).contains("/bin/sh"), "the config's command");
        screenshot("image");

        browser.get(mesh.index.url() + "/r/alice/app/-/images/2.0");
        waitFor(By.id("image-reference"));
        assertTrue(text(By.cssSelector("table.platforms")).contains("linux/arm64"));
    }

    @Test
    void aTokenCreatedInTheBrowserWorksWithSkopeoUntilItIsRevoked() {
        signIn("alice", ALICE_PASSWORD);
        open("/tokens");
        browser.findElement(By.id("token-name")).sendKeys("laptop");
        browser.findElement(By.id("create-token")).click();
        String token = waitFor(By.id("secret")).getText();
        assertTrue(token.startsWith("mesh_pat_"), token);
        String ref = mesh.ref("alice/private-app:1.0");
        assertTrue(Skopeo.inspect(ref, "--creds", "alice:" + token).ok(), "the new token reads alice's private repository");

        open("/tokens");
        assertFalse(browser.getPageSource().contains(token), "the token text is shown once only");
        browser.findElement(By.cssSelector("button.revoke")).click();
        waitFor(By.cssSelector("td.state"));
        assertTrue(text(By.cssSelector("table.tokens")).contains("revoked"));
        screenshot("tokens");
        // auth-service caches decisions for up to 5 s (MESH_AUTH_DECISION_CACHE_TTL).
        MeshStack.await(Duration.ofSeconds(20), () -> Skopeo.inspect(ref, "--creds", "alice:" + token).ok() ? null : true,
                () -> "the revoked token still works");
    }

    @Test
    void aPrivateRepositoryIsInvisibleToAnotherUser() {
        signIn("bob", BOB_PASSWORD);
        assertFalse(browser.getPageSource().contains("alice/private-app"), "not on bob's home page");
        open("/search?q=private-app");
        assertEquals("0 repositories match \"private-app\".", text(By.id("result-count")));
        open("/r/alice/private-app");
        assertTrue(text(By.tagName("h1")).contains("Not found"));
        open("/r/alice/private-app/-/images/1.0");
        assertTrue(text(By.tagName("h1")).contains("Not found"), "nor its images");
        open("/n/alice");
        assertTrue(browser.getPageSource().contains("alice/app"));
        assertFalse(browser.getPageSource().contains("alice/private-app"));
        browser.manage().deleteAllCookies();
        open("/");
        assertFalse(browser.getPageSource().contains("alice/private-app"), "nor anonymous visitors'");
    }

    @Test
    void aFormPostWithoutItsCsrfTokenIsRefused() {
        signIn("bob", BOB_PASSWORD);
        open("/n/bob");
        // The browser submits the real form, minus its token (WebDriver scripts are not page scripts: the CSP allows them).
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "var f = document.querySelector('form[action=\"/n/bob/repositories\"]');"
                        + "f.querySelector('input[name=_csrf]').remove(); f.querySelector('input[name=name]').value = 'sneaky';"
                        + "f.submit();");
        waitFor(By.id("error"));
        assertTrue(text(By.id("error")).contains("did not come from this site"), text(By.id("error")));
        assertEquals(404, mesh.call("GET", "/api/v1/repositories/bob/sneaky", "bob:" + BOB_PASSWORD, null).status());

        // The same from outside the browser, with the session cookie but without the token.
        String session = browser.manage().getCookieNamed("mesh_session").getValue();
        assertEquals(403, post("/n/bob/repositories", "name=sneaky2", session));
        assertEquals(404, mesh.call("GET", "/api/v1/repositories/bob/sneaky2", "bob:" + BOB_PASSWORD, null).status());
        assertTrue(browser.manage().getCookieNamed("mesh_session").isHttpOnly(), "the session cookie is HttpOnly");
        assertEquals("Lax", browser.manage().getCookieNamed("mesh_session").getSameSite());
    }

    @Test
    void administratorsSeeUsersAndTheMirrorAndPrefetchThroughIt() {
        signIn("admin", MeshStack.ADMIN_PASSWORD);
        open("/users");
        assertTrue(text(By.cssSelector("table.users")).contains("alice"));
        screenshot("users");
        open("/mirror");
        assertFalse(browser.getPageSource().contains("id=\"mirror-down\""), "the mirror answers");
        assertTrue(text(By.cssSelector("table.upstreams")).contains("mesh.test"));
        browser.findElement(By.name("references")).sendKeys("mesh.test/alice/app:1.0");
        browser.findElement(By.cssSelector("form[action=\"/mirror/prefetch\"] button")).click();
        String result = waitFor(By.id("prefetch-result")).getText();
        assertTrue(result.startsWith("prefetched and pinned 1"), result + "\n" + mirror.log());
        screenshot("mirror");

        signOut();
        open("/mirror");
        assertTrue(browser.getCurrentUrl().contains("/sign-in"), "anonymous visitors are sent to sign in");
    }

    @Test
    void aWrongPasswordIsSaidPlainly() {
        open("/sign-in");
        browser.findElement(By.id("username")).sendKeys("alice");
        browser.findElement(By.id("secret")).sendKeys("not-her-password");
        browser.findElement(By.id("sign-in")).click();
        assertEquals("Wrong user name, password or token.", waitFor(By.id("error")).getText());
        screenshot("sign-in");
    }

    /** Guessing through the API and through the sign-in form counts against one throttle. */
    @Test
    void guessesThroughTheApiHoldBackTheSignInForm() {
        String carol = "carol-console-password";
        assertEquals(201, mesh.call("POST", "/api/v1/users", admin(), Map.of("name", "carol", "password", carol)).status());
        for (int i = 0; i < 6; i++) {
            assertEquals(401, mesh.call("GET", "/api/v1/user", "carol:wrong-guess-" + i, null).status());
        }
        open("/sign-in");
        browser.findElement(By.id("username")).sendKeys("carol");
        browser.findElement(By.id("secret")).sendKeys(carol);
        browser.findElement(By.id("sign-in")).click();
        assertEquals("Too many failed sign-ins. Wait a little and try again.", waitFor(By.id("error")).getText());
        assertEquals(429, mesh.call("GET", "/api/v1/user", "carol:" + carol, null).status(), "and the API holds it back too");
    }

    private static void signIn(String user, String password) {
        open("/sign-in");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("secret")).sendKeys(password);
        browser.findElement(By.id("sign-in")).click();
        waitFor(By.id("sign-out"));
    }

    private static void signOut() {
        browser.findElement(By.id("sign-out")).click();
        waitFor(By.id("sign-in-link"));
    }

    private static void open(String path) {
        browser.get(mesh.index.url() + path);
    }

    private static WebElement waitFor(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static String text(By by) {
        return waitFor(by).getText().trim();
    }

    /** The console's size format (powers of 1024). */
    private static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n / 1024.0;
        return String.format(Locale.ROOT, v < 10 ? "%.1f KiB" : "%.0f KiB", v);
    }

    private static int post(String path, String form, String session) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(mesh.index.url() + path)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "mesh_session=" + session)
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int tagCount(String repository) {
        MeshStack.Answer answer = mesh.call("GET", "/api/v1/repositories/" + repository, alice(), null);
        return answer.status() == 200 ? answer.body().path("tagCount").asInt() : -1;
    }

    private static String admin() {
        return "admin:" + MeshStack.ADMIN_PASSWORD;
    }

    private static String alice() {
        return "alice:" + ALICE_PASSWORD;
    }

    /** Saves the viewport as a PNG when MESH_SCREENSHOTS names a directory (the README's pictures). */
    private static void screenshot(String name) {
        String dir = System.getenv("MESH_SCREENSHOTS");
        if (dir == null || dir.isBlank()) {
            return;
        }
        try {
            Path target = Path.of(dir).resolve(name + ".png");
            Files.createDirectories(target.getParent());
            Files.write(target, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
