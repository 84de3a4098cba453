package dev.registrymesh.index.api;

import static dev.registrymesh.index.api.Api.admin;
import static dev.registrymesh.index.api.Api.anon;
import static dev.registrymesh.index.api.Api.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class SearchApiTest {

    @Test
    void pingAnswersForDockerSearch() {
        anon().get("/v1/_ping").then().statusCode(200).header("X-Docker-Registry-Standalone", "true");
    }

    @Test
    void resultsAreRankedExactPrefixSubstringDescription() {
        String alice = Api.user("alice");
        String term = Api.unique("zq");
        Api.repository(alice, alice + "/my-" + term + "-x", "public");
        Api.repository(alice, alice + "/" + term + "-tools", "public");
        Api.repository(alice, alice + "/" + term, "public");
        as(alice).body(Map.of("name", alice + "/other", "visibility", "public", "description", "Works with " + term.toUpperCase()))
                .post("/api/v1/repositories").then().statusCode(201);
        Api.repository(alice, alice + "/unrelated", "public");

        anon().get("/v1/search?q=" + term).then().statusCode(200)
                .body("query", equalTo(term)).body("num_results", equalTo(4)).body("page", equalTo(1))
                .body("page_size", equalTo(25)).body("num_pages", equalTo(1))
                .body("results.name", contains(alice + "/" + term, alice + "/" + term + "-tools", alice + "/my-" + term + "-x", alice + "/other"))
                .body("results[0].star_count", equalTo(0)).body("results[0].is_official", equalTo(false))
                .body("results[0].is_automated", equalTo(false)).body("results[0].description", notNullValue());
    }

    @Test
    void pagesSplitTheResults() {
        String alice = Api.user("alice");
        String term = Api.unique("pg");
        for (String n : new String[] {"a", "b", "c"}) {
            Api.repository(alice, alice + "/" + term + n, "public");
        }
        anon().get("/v1/search?q=" + term + "&n=2&page=2").then().statusCode(200)
                .body("num_results", equalTo(3)).body("num_pages", equalTo(2)).body("page_size", equalTo(2))
                .body("results.name", contains(alice + "/" + term + "c"));
        anon().get("/v1/search?q=" + term + "&n=2&page=5").then().statusCode(200).body("results.size()", equalTo(0));
    }

    /** The case: search never leaks private names. */
    @Test
    void searchNeverLeaksPrivateNames() {
        String alice = Api.user("alice");
        String bob = Api.user("bob");
        String term = Api.unique("hid");
        Api.repository(alice, alice + "/" + term, "private");
        as(alice).body(Map.of("name", alice + "/x" + term + "pub", "visibility", "public", "description", "d")).post("/api/v1/repositories");

        anon().get("/v1/search?q=" + term).then().statusCode(200)
                .body("num_results", equalTo(1)).body("results.name", not(hasItem(alice + "/" + term)));
        as(bob).get("/v1/search?q=" + term).then().statusCode(200)
                .body("num_results", equalTo(1)).body("results.name", not(hasItem(alice + "/" + term)));
        // Nor through its description.
        as(bob).get("/v1/search?q=" + alice).then().statusCode(200).body("results.name", not(hasItem(alice + "/" + term)));
        as(alice).get("/v1/search?q=" + term).then().statusCode(200)
                .body("num_results", equalTo(2)).body("results[0].name", equalTo(alice + "/" + term));
    }

    @Test
    void officialRepositoriesShowTheirShortName() {
        String name = Api.unique("distro");
        admin().body(Map.of("name", "library/" + name, "visibility", "public")).post("/api/v1/repositories").then().statusCode(201);
        anon().get("/v1/search?q=" + name).then().statusCode(200)
                .body("results[0].name", equalTo(name)).body("results[0].is_official", equalTo(true));
    }

    @ParameterizedTest
    @CsvSource({
            "/v1/search,                          INVALID_REQUEST",
            "/v1/search?q=,                       INVALID_REQUEST",
            "/v1/search?q=x&n=0,                  PAGINATION_NUMBER_INVALID",
            "/v1/search?q=x&n=101,                PAGINATION_NUMBER_INVALID",
            "/v1/search?q=x&n=ten,                PAGINATION_NUMBER_INVALID",
            "/v1/search?q=x&page=0,               PAGINATION_NUMBER_INVALID",
            "/v1/search?q=x&page=-1,              PAGINATION_NUMBER_INVALID"})
    void badQueriesAre400(String url, String code) {
        anon().get(url).then().statusCode(400).body("errors[0].code", equalTo(code));
    }

    @Test
    void wrongCredentialsAre401EvenForSearch() {
        as("admin", "wrong-password").get("/v1/search?q=x").then().statusCode(401);
    }
}
