package dev.registrymesh.index.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.index.access.Secrets;
import dev.registrymesh.index.store.IndexStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The web console over plain HTTP (the browser tests are in e2e-tests): sign-in and its cookies, CSRF on every form,
 * what anonymous and other users see, tokens made in the console, and errors as pages.
 */
@QuarkusTest
class ConsolePagesTest {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Inject
    IndexStore store;

    record Session(String cookie, String csrf) {
    }

    private static String csrfOf(String html) {
        Matcher m = CSRF.matcher(html);
        assertTrue(m.find(), "a form token on the page");
        return m.group(1);
    }

    /** Signs in through the form, as a browser does: the form's token and its paired cookie, then the session. */
    static Session signIn(String user, String secret) {
        Response form = given().get("/sign-in");
        String pair = form.getCookie("mesh_signin");
        Response done = given().redirects().follow(false).cookie("mesh_signin", pair)
                .formParam("_csrf", csrfOf(form.asString())).formParam("username", user).formParam("secret", secret)
                .post("/sign-in");
        assertEquals(303, done.statusCode(), done.asString());
        String cookie = done.getCookie("mesh_session");
        String page = given().cookie("mesh_session", cookie).get("/").asString();
        return new Session(cookie, csrfOf(page));
    }

    @Test
    void pagesCarryAStrictContentSecurityPolicy() {
        Response page = given().get("/sign-in");
        page.then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                .header("X-Frame-Options", "DENY")
                .body(not(containsString("<script>")));
        String setCookie = page.getHeader("Set-Cookie");
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
        given().get("/static/console.css").then().statusCode(200);
        given().get("/static/console.js").then().statusCode(200);
    }

    @Test
    void signInSetsAnHttpOnlySessionCookieWhoseIdIsStoredHashed() {
        String alice = Api.user("alice");
        Response form = given().get("/sign-in");
        Response done = given().redirects().follow(false).cookie("mesh_signin", form.getCookie("mesh_signin"))
                .formParam("_csrf", csrfOf(form.asString())).formParam("username", alice)
                .formParam("secret", Api.passwordOf(alice)).formParam("next", "/tokens").post("/sign-in");
        done.then().statusCode(303).header("Location", containsString("/tokens"));
        String header = done.getHeaders().getValues("Set-Cookie").stream().filter(c -> c.startsWith("mesh_session=")).findFirst().orElseThrow();
        assertTrue(header.contains("HttpOnly") && header.contains("SameSite=Lax"), header);
        assertFalse(header.contains("Secure"), "plain HTTP: " + header);
        String cookie = done.getCookie("mesh_session");
        assertTrue(store.sessions().get(cookie).isEmpty(), "the id itself is not a key");
        assertTrue(store.sessions().get(Secrets.sha256(cookie)).isPresent(), "its hash is");
        given().cookie("mesh_session", cookie).get("/").then().statusCode(200).body(containsString(alice));

        // Signing out ends the session (with the form token).
        String csrf = csrfOf(given().cookie("mesh_session", cookie).get("/").asString());
        given().redirects().follow(false).cookie("mesh_session", cookie).formParam("_csrf", csrf).post("/sign-out").then().statusCode(303);
        assertTrue(store.sessions().get(Secrets.sha256(cookie)).isEmpty());
        given().cookie("mesh_session", cookie).get("/").then().body(containsString("id=\"sign-in-link\""));
    }

    @Test
    void wrongPasswordIsAPageSayingSoAndForeignRedirectsGoHome() {
        String bob = Api.user("bob");
        Response form = given().get("/sign-in");
        given().redirects().follow(false).cookie("mesh_signin", form.getCookie("mesh_signin"))
                .formParam("_csrf", csrfOf(form.asString())).formParam("username", bob).formParam("secret", "wrong-password")
                .post("/sign-in")
                .then().statusCode(401).contentType(containsString("text/html")).body(containsString("Wrong user name, password or token."));
        // A sign-in form without its paired cookie (posted from another site) is refused before any check.
        given().redirects().follow(false).formParam("_csrf", "forged").formParam("username", bob)
                .formParam("secret", Api.passwordOf(bob)).post("/sign-in").then().statusCode(403);
        Response ok = given().get("/sign-in");
        given().redirects().follow(false).cookie("mesh_signin", ok.getCookie("mesh_signin"))
                .formParam("_csrf", csrfOf(ok.asString())).formParam("username", bob).formParam("secret", Api.passwordOf(bob))
                .formParam("next", "//evil.example/").post("/sign-in")
                .then().statusCode(303).header("Location", not(containsString("evil")));
    }

    @Test
    void everyFormWithoutTheSessionTokenIsRefused() {
        String carol = Api.user("carol");
        Session s = signIn(carol, Api.passwordOf(carol));
        String org = Api.unique("org");
        given().redirects().follow(false).cookie("mesh_session", s.cookie()).formParam("name", org).post("/n")
                .then().statusCode(403).contentType(containsString("text/html")).body(containsString("did not come from this site"));
        given().redirects().follow(false).cookie("mesh_session", s.cookie()).formParam("_csrf", "not-the-token")
                .formParam("name", org).post("/n").then().statusCode(403);
        Api.anon().get("/api/v1/namespaces/" + org).then().statusCode(404);
        given().redirects().follow(false).cookie("mesh_session", s.cookie()).formParam("_csrf", s.csrf())
                .formParam("name", org).post("/n").then().statusCode(303);
        Api.anon().get("/api/v1/namespaces/" + org).then().statusCode(200);
        // Without a session, a form post goes to the sign-in page.
        given().redirects().follow(false).formParam("name", org).post("/n").then().statusCode(303)
                .header("Location", containsString("/sign-in"));
    }

    @Test
    void privateRepositoriesAreInvisibleToOthersAndAnonymous() {
        String dave = Api.user("dave");
        String erin = Api.user("erin");
        Api.repository(dave, dave + "/secret-app", "private");
        Api.repository(dave, dave + "/open-app", "public");
        Session erinSession = signIn(erin, Api.passwordOf(erin));
        given().cookie("mesh_session", erinSession.cookie()).get("/r/" + dave + "/secret-app")
                .then().statusCode(404).contentType(containsString("text/html")).body(containsString("Not found"));
        given().cookie("mesh_session", erinSession.cookie()).get("/search?q=" + dave)
                .then().statusCode(200).body(not(containsString("secret-app"))).body(containsString(dave + "/open-app"));
        given().get("/").then().body(not(containsString(dave + "/secret-app"))).body(containsString(dave + "/open-app"));
        given().get("/n/" + dave).then().statusCode(200).body(not(containsString("secret-app")));
        Session daveSession = signIn(dave, Api.passwordOf(dave));
        given().cookie("mesh_session", daveSession.cookie()).get("/search?q=secret-app").then().body(containsString(dave + "/secret-app"));
        given().cookie("mesh_session", daveSession.cookie()).get("/r/" + dave + "/secret-app").then().statusCode(200)
                .body(containsString("docker pull"));
    }

    @Test
    void aTokenMadeInTheConsoleWorksUntilRevokedAndEndsItsOwnSessions() {
        String frank = Api.user("frank");
        Session s = signIn(frank, Api.passwordOf(frank));
        String page = given().cookie("mesh_session", s.cookie()).formParam("_csrf", s.csrf()).formParam("name", "ci")
                .formParam("actions", "pull").formParam("actions", "push").post("/tokens").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("id=\"secret\">(mesh_pat_[A-Za-z0-9_-]+)<").matcher(page);
        assertTrue(m.find(), page);
        String token = m.group(1);
        Api.bearer(token).get("/api/v1/user").then().statusCode(200).body("subject", equalTo(frank));
        Session withToken = signIn("", token);
        given().cookie("mesh_session", withToken.cookie()).get("/").then().body(containsString("/n/" + frank));

        String id = token.substring("mesh_pat_".length(), "mesh_pat_".length() + 16);
        given().redirects().follow(false).cookie("mesh_session", s.cookie()).formParam("_csrf", s.csrf())
                .post("/tokens/" + id + "/revoke").then().statusCode(303);
        Api.bearer(token).get("/api/v1/user").then().statusCode(401);
        given().cookie("mesh_session", withToken.cookie()).get("/").then().body(containsString("id=\"sign-in-link\""));
        given().cookie("mesh_session", s.cookie()).get("/tokens").then().body(containsString("revoked"));
    }

    @Test
    void adminPagesAreForAdministrators() {
        String gina = Api.user("gina");
        Session s = signIn(gina, Api.passwordOf(gina));
        given().cookie("mesh_session", s.cookie()).get("/users").then().statusCode(403).body(containsString("administrators only"));
        given().redirects().follow(false).get("/users").then().statusCode(303).header("Location", containsString("/sign-in?next=%2Fusers"));
        Session admin = signIn("admin", Api.ADMIN_PASSWORD);
        given().cookie("mesh_session", admin.cookie()).get("/users").then().statusCode(200).body(containsString(gina));
        // No mirror in these tests: the page says so instead of failing.
        given().cookie("mesh_session", admin.cookie()).get("/mirror").then().statusCode(200).body(containsString("id=\"mirror-down\""));
    }

    @Test
    void anImagePageShowsConfigLayersAndReferrersByArtifactType() {
        String ivy = Api.user("ivy");
        String repo = ivy + "/signed";
        Api.repository(ivy, repo, "public");
        String base = "/admin/v1/repositories/" + repo;
        String manifestDigest = "sha256:" + "a".repeat(64);
        String configDigest = "sha256:" + "c".repeat(64);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":100},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:" + "1".repeat(64) + "\",\"size\":2048},"
                + "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:" + "2".repeat(64) + "\",\"size\":3072}]}";
        String config = "{\"created\":\"2025-02-03T04:05:06Z\",\"architecture\":\"arm64\",\"os\":\"linux\",\"config\":{"
                + "\"Entrypoint\":[\"/app\"],\"Cmd\":[\"--port\",\"8080\"],\"Env\":[\"MODE=prod\"],\"Labels\":{\"team\":\"web\"}}}";
        String referrers = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + "5".repeat(64) + "\",\"size\":500,"
                + "\"artifactType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"},"
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + "6".repeat(64) + "\",\"size\":600,"
                + "\"artifactType\":\"application/spdx+json\",\"annotations\":{\"org.opencontainers.image.created\":\"2025-02-03\"}}]}";
        String oci = "application/vnd.oci.image.manifest.v1+json";
        RegistryAdminStub.GETS.put(base + "/tags", new RegistryAdminStub.Canned("application/json", null,
                "{\"name\":\"" + repo + "\",\"tags\":[{\"tag\":\"v1\",\"digest\":\"" + manifestDigest + "\"}]}"));
        RegistryAdminStub.GETS.put(base + "/manifests/v1", new RegistryAdminStub.Canned(oci, manifestDigest, manifest));
        RegistryAdminStub.GETS.put(base + "/manifests/" + manifestDigest, new RegistryAdminStub.Canned(oci, manifestDigest, manifest));
        RegistryAdminStub.GETS.put(base + "/blobs/" + configDigest, new RegistryAdminStub.Canned("application/octet-stream", configDigest, config));
        RegistryAdminStub.GETS.put(base + "/referrers/" + manifestDigest,
                new RegistryAdminStub.Canned("application/vnd.oci.image.index.v1+json", null, referrers));

        given().get("/r/" + repo).then().statusCode(200).body(containsString(">v1</a>")).body(containsString("5.1 KiB"));
        String page = given().get("/r/" + repo + "/-/images/v1").then().statusCode(200).extract().asString();
        assertTrue(page.matches("(?s).*id=\"pull-command\">docker pull 127\\.0\\.0\\.1:\\d+/" + repo + ":v1<.*"), page);
        assertTrue(page.contains("/" + repo + "@" + manifestDigest + "<"), "pull by digest");
        for (String expected : new String[] {"2025-02-03T04:05:06Z", "linux/arm64", "<code>/app</code>", "<code>--port 8080</code>",
                "MODE=prod", "team=web", "2.0 KiB", "3.0 KiB", "application/vnd.dev.sigstore.bundle.v0.3+json",
                "application/spdx+json", "org.opencontainers.image.created=2025-02-03"}) {
            assertTrue(page.contains(expected), expected + " on the page");
        }
        // A reference no tag or digest can be is not found, without asking the registry.
        given().get("/r/" + repo + "/-/images/..bad").then().statusCode(404).body(containsString("no tag or digest"));
    }

    @Test
    void ownersManageTeamsMembersAndRobotsThroughTheForms() {
        String jane = Api.user("jane");
        String kim = Api.user("kim");
        Session s = signIn(jane, Api.passwordOf(jane));
        String org = Api.unique("acme");
        post(s, "/n", Map.of("name", org)).then().statusCode(303);
        post(s, "/n/" + org + "/teams", Map.of("name", "devs", "role", "push", "repositories", "")).then().statusCode(303);
        post(s, "/n/" + org + "/teams/devs/members", Map.of("member", kim, "action", "add")).then().statusCode(303);
        Api.as(jane).get("/api/v1/orgs/" + org + "/teams/devs").then().statusCode(200)
                .body("members", contains(kim)).body("role", equalTo("push"));
        post(s, "/n/" + org + "/teams/devs/role", Map.of("role", "admin")).then().statusCode(303);
        Api.as(jane).get("/api/v1/orgs/" + org + "/teams/devs").then().body("role", equalTo("admin"));
        String page = post(s, "/n/" + org + "/robots", Map.of("name", "ci", "role", "pull")).then().statusCode(200).extract().asString();
        Matcher secret = Pattern.compile("id=\"secret\">([^<]+)<").matcher(page);
        assertTrue(secret.find(), page);
        Api.as(org + "+ci", secret.group(1)).get("/api/v1/user").then().statusCode(200);
        // kim is a member, not an owner: the same form is refused by the same rule as the API's.
        Session k = signIn(kim, Api.passwordOf(kim));
        post(k, "/n/" + org + "/teams", Map.of("name", "mine", "role", "admin")).then().statusCode(403)
                .body(containsString("only owners of"));
        given().cookie("mesh_session", k.cookie()).get("/n/" + org).then().statusCode(200).body(containsString("devs"))
                .body(not(containsString("Create robot")));
        post(s, "/n/" + org + "/robots/ci/delete", Map.of()).then().statusCode(303);
        Api.as(org + "+ci", secret.group(1)).get("/api/v1/user").then().statusCode(401);
        post(s, "/n/" + org + "/teams/devs/delete", Map.of()).then().statusCode(303);
        Api.as(jane).get("/api/v1/orgs/" + org + "/teams/devs").then().statusCode(404);
    }

    private static Response post(Session s, String path, Map<String, String> form) {
        var request = given().redirects().follow(false).cookie("mesh_session", s.cookie()).formParam("_csrf", s.csrf());
        form.forEach(request::formParam);
        return request.post(path);
    }

    @Test
    void takenNamesAndBadInputAreExplained() {
        String hank = Api.user("hank");
        Session s = signIn(hank, Api.passwordOf(hank));
        given().redirects().follow(false).cookie("mesh_session", s.cookie()).formParam("_csrf", s.csrf()).formParam("name", hank)
                .post("/n").then().statusCode(409).contentType(containsString("text/html")).body(containsString("is taken"));
        given().cookie("mesh_session", s.cookie()).get("/r/" + hank + "/nothing-here").then().statusCode(404)
                .body(containsString("repository not found"));
    }
}
