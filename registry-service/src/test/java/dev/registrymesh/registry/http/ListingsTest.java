package dev.registrymesh.registry.http;

import static dev.registrymesh.registry.Fixtures.error;
import static dev.registrymesh.registry.Fixtures.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.registry.Fixtures;
import dev.registrymesh.registry.Fixtures.Descriptor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** end-8a/8b {@code tags/list} and {@code _catalog}: lexical order, {@code n}, {@code last} and the {@code Link} header. */
@QuarkusTest
class ListingsTest {
    private static final Pattern LINK = Pattern.compile("<([^>]+)>; rel=\"next\"");
    private static final List<String> TAGS = List.of("b", "a", "c", "a-1", "B", "1.0", "a_2");
    private static final List<String> SORTED = List.of("1.0", "B", "a", "a-1", "a_2", "b", "c");

    private static String taggedRepo() {
        String repo = Fixtures.repo("tags");
        Descriptor image = Fixtures.pushImage(repo, TAGS.get(0), MediaTypes.OCI_MANIFEST);
        byte[] manifest = given().accept(MediaTypes.OCI_MANIFEST).get("/v2/" + repo + "/manifests/" + image.digest()).asByteArray();
        for (String tag : TAGS.subList(1, TAGS.size())) {
            Fixtures.putManifest(repo, tag, MediaTypes.OCI_MANIFEST, manifest);
        }
        return repo;
    }

    /** The URL of a Link: rel="next" header, or null. */
    private static String next(Response response) {
        String link = response.header("Link");
        if (link == null) {
            return null;
        }
        Matcher m = LINK.matcher(link);
        assertTrue(m.matches(), "Link header: " + link);
        return m.group(1);
    }

    @Test
    void tagsAreListedInLexicalOrder() {
        String repo = taggedRepo();
        Response response = given().get("/v2/" + repo + "/tags/list");
        response.then().statusCode(200)
                .header("Content-Type", "application/json")
                .body("name", equalTo(repo))
                .body("tags", equalTo(SORTED));
        assertNull(response.header("Link"));
    }

    /** Pages of n tags, each linking to the next, add up to the whole list. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 6, 7, 100})
    void tagPagesFollowTheLink(int n) {
        String repo = taggedRepo();
        List<String> all = new ArrayList<>();
        String url = "/v2/" + repo + "/tags/list?n=" + n;
        int pages = 0;
        while (url != null) {
            Response response = given().urlEncodingEnabled(false).get(url);
            response.then().statusCode(200).body("name", equalTo(repo));
            List<String> page = response.jsonPath().getList("tags");
            assertTrue(page.size() <= n);
            all.addAll(page);
            url = next(response);
            if (url != null) {
                assertTrue(url.startsWith("/v2/" + repo + "/tags/list?"), url);
                assertEquals(n, page.size());
            }
            pages++;
        }
        assertEquals(SORTED, all);
        assertEquals(Math.max(1, (SORTED.size() + n - 1) / n), pages);
    }

    @Test
    void lastStartsAfterTheGivenTag() {
        String repo = taggedRepo();
        given().queryParam("last", "a").get("/v2/" + repo + "/tags/list").then().statusCode(200)
                .body("tags", equalTo(List.of("a-1", "a_2", "b", "c")));
        given().queryParam("last", "a-0").queryParam("n", 2).get("/v2/" + repo + "/tags/list").then().statusCode(200)
                .body("tags", equalTo(List.of("a-1", "a_2")));
        given().queryParam("last", "c").get("/v2/" + repo + "/tags/list").then().statusCode(200)
                .body("tags", equalTo(List.of()));
    }

    @Test
    void zeroTagsAskedForIsAnEmptyPage() {
        Response response = given().queryParam("n", 0).get("/v2/" + taggedRepo() + "/tags/list");
        response.then().statusCode(200).body("tags", equalTo(List.of()));
        assertNull(response.header("Link"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "1.5", "99999999999999999999"})
    void badNIs400(String n) {
        String repo = taggedRepo();
        error(given().queryParam("n", n).get("/v2/" + repo + "/tags/list").then(), 400, "PAGINATION_NUMBER_INVALID");
        error(given().queryParam("n", n).get("/v2/_catalog").then(), 400, "PAGINATION_NUMBER_INVALID");
    }

    @Test
    void tagsOfAnUnknownRepositoryIs404() {
        error(given().get("/v2/" + Fixtures.repo("never") + "/tags/list").then(), 404, "NAME_UNKNOWN");
        error(given().get("/v2/Not/Valid/tags/list").then(), 400, "NAME_INVALID");
    }

    @Test
    void catalogListsRepositoriesInLexicalOrder() {
        String prefix = Fixtures.repo("catalog");
        List<String> ours = List.of(prefix + "/a", prefix + "/b", prefix + "/b/c", prefix + "/d");
        for (String repo : List.of(ours.get(3), ours.get(1), ours.get(0), ours.get(2))) {
            Fixtures.pushBlob(repo, Fixtures.bytes(8));
        }

        List<String> all = given().get("/v2/_catalog").then().statusCode(200)
                .header("Content-Type", "application/json")
                .body("repositories", hasItems(ours.toArray()))
                .extract().jsonPath().getList("repositories");
        assertEquals(all.stream().sorted().toList(), all);

        // pages of two starting after the prefix hold exactly our repositories, then whatever sorts after them
        Response first = given().queryParam("n", 2).queryParam("last", prefix).get("/v2/_catalog");
        first.then().statusCode(200).body("repositories", equalTo(ours.subList(0, 2)));
        String link = next(first);
        assertTrue(link.startsWith("/v2/_catalog?"), link);
        Response second = given().urlEncodingEnabled(false).get(link);
        second.then().statusCode(200);
        assertEquals(ours.subList(2, 4), second.jsonPath().getList("repositories").subList(0, 2));
    }

    @Test
    void catalogWithZeroEntries() {
        Response response = given().queryParam("n", 0).get("/v2/_catalog");
        response.then().statusCode(200).body("repositories", equalTo(List.of()));
        assertNull(response.header("Link"));
    }
}
