package dev.registrymesh.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScopesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "repository:alice/app:pull|repository|alice/app|pull",
            "repository:alice/app:pull,push|repository|alice/app|pull,push",
            "repository:alice/app:*|repository|alice/app|*",
            "repository:library/ubuntu:pull,push,delete|repository|library/ubuntu|pull,push,delete",
            // A dotted first component is a namespace of this registry, not a host: the name is signed as written.
            "repository:registry.example.com/a:pull|repository|registry.example.com/a|pull",
            "repository:bob.dev/alice/app:pull|repository|bob.dev/alice/app|pull",
            "repository:localhost/alice/app:pull|repository|localhost/alice/app|pull",
            "repository:a:pull,pull|repository|a|pull",
            "registry:catalog:*|registry|catalog|*",
            "repository(plugin):vieux/sshfs:pull|repository(plugin)|vieux/sshfs|pull",
            "repository:a.b/c__d/e--f:pull|repository|a.b/c__d/e--f|pull",
    })
    void parsesValidScopes(String scope, String type, String name, String actions) {
        Access a = Scopes.parse(scope);
        assertEquals(type, a.type());
        assertEquals(name, a.name());
        assertEquals(List.of(actions.split(",")), a.actions());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "", "repository", "repository:", "repository:a", "repository:a:", ":a:pull", "repository::pull",
            "repository:a/B:pull", "repository:a/../b:pull", "repository:a//b:pull", "repository:/a:pull",
            "repository:a/b/:pull", "repository:a:pull push", "repository:a:pu-ll", "repository:a:pull,",
            "repository:a:,pull", "REPOSITORY:a:pull", "repository:host:port/a:pull",
            "repository:localhost:5000:pull", "repository:a b:pull", "repository:a:pull;rm",
            "registry:cat alog:*",
            // Repository scopes name paths of this registry: a registry host with a port or in brackets is no path.
            "repository:localhost:5000/alice/app:pull", "repository:registry.example.com:443/a/b:push",
            "repository:[::1]:5000/a/b:pull", "repository:Registry.example.com/a:pull", "repository:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdefX:pull",
    })
    void rejectsInvalidScopes(String scope) {
        assertThrows(ScopeSyntaxException.class, () -> Scopes.parse(scope));
    }

    @Test
    void parseAllSplitsOnSpacesAndMergesSameResource() {
        List<Access> all = Scopes.parseAll(List.of("repository:a/b:pull repository:c:push", "repository:a/b:push",
                "registry:catalog:*"));
        assertEquals(List.of(Access.repository("a/b", "pull", "push"), Access.repository("c", "push"), Access.catalog()), all);
        assertEquals("repository:a/b:pull,push repository:c:push registry:catalog:*", Scopes.join(all));
    }

    @Test
    void starAllowsEveryAction() {
        Access a = Access.repository("a", "*");
        assertTrue(a.allows("pull") && a.allows("push") && a.allows("delete"));
        Access b = Access.repository("a", "pull");
        assertTrue(b.allows("pull"));
        assertFalse(b.allows("push"));
    }

    @Test
    void accessClaimRoundTrips() {
        List<Access> access = List.of(Access.repository("a/b", "pull", "push"), Access.catalog());
        assertEquals(access, AccessClaim.read(AccessClaim.write(access)));
        assertEquals(List.of(), AccessClaim.read(null));
        assertThrows(IllegalArgumentException.class, () -> AccessClaim.read("x"));
        assertThrows(IllegalArgumentException.class, () -> AccessClaim.read(List.of(java.util.Map.of("type", "repository"))));
    }
}
