package dev.registrymesh.auth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.registrymesh.common.auth.Scopes;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GrantsTest {
    /** asked | granted by index | token access. Scopes space-separated. */
    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', value = {
            "repository:a:pull,push|repository:a:pull,push|repository:a:pull,push",
            "repository:a:pull,push|repository:a:pull|repository:a:pull",
            "repository:a:pull,push|repository:a:*|repository:a:pull,push",
            "repository:a:*|repository:a:pull,push,delete|repository:a:pull,push,delete",
            "repository:a:*|repository:a:*|repository:a:*",
            "repository:a:pull|repository:a:pull,push,delete|repository:a:pull",
            "repository:a:pull repository:b:push|repository:b:push|repository:b:push",
            "repository:a:pull|repository:b:pull|''",
            "repository:a:push|repository:a:pull|''",
            "registry:catalog:*|registry:catalog:*|registry:catalog:*",
            "repository:b:pull repository:a:pull|repository:a:pull repository:b:pull|repository:b:pull repository:a:pull",
    })
    void intersects(String asked, String granted, String expected) {
        assertEquals(expected, Scopes.join(Grants.intersect(Scopes.parseAll(List.of(asked)),
                granted.isEmpty() ? List.of() : Scopes.parseAll(List.of(granted)))));
    }
}
