package dev.registrymesh.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryNameTest {

    /** The namespace is always the first component, whatever it looks like: nothing is read as a host. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "alice/app|alice|app",
            "acme/team/site|acme|team/site",
            "bob.dev/alice/app|bob.dev|alice/app",
            "localhost/alice/app|localhost|alice/app",
            "docker.io/alice/app|docker.io|alice/app",
            "example.io/alice/app|example.io|alice/app",
    })
    void theNamespaceIsTheFirstComponent(String path, String namespace, String within) {
        RepositoryName name = RepositoryName.of(path);
        assertEquals(path, name.path());
        assertEquals(namespace, name.namespace());
        assertEquals(within, name.withinNamespace());
        assertTrue(name.isIn(namespace));
        assertFalse(name.isIn(within));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"app", "ubuntu"})
    void aOnePartNameHasNoNamespace(String path) {
        assertNull(RepositoryName.of(path).namespace());
        assertFalse(RepositoryName.of(path).isIn(null));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "localhost:5000/alice/app", "[::1]/a", "Alice/app", "alice//app", "alice/../bob",
            "alice/./app", "/alice/app", "alice/app/", "alice/app:tag", "alice/app@sha256:00", "a\nb/c", "alice/%2e%2e/bob"})
    void hostsAndMalformedPathsAreRefused(String path) {
        assertFalse(RepositoryName.isValid(path));
        OciException e = assertThrows(OciException.class, () -> RepositoryName.of(path));
        assertEquals(ErrorCode.NAME_INVALID, e.code());
    }
}
