package dev.registrymesh.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        docker.io              | true
        localhost              | true
        localhost:5000         | true
        Registry.Example.COM   | true
        a                      | true
        a-b.c                  | true
        127.0.0.1:443          | true
        [::1]                  | true
        [::1]:5000             | true
        [2001:db8:0:0:0:0:0:1] | true
        ''                     | false
        -a.com                 | false
        a-.com                 | false
        a..com                 | false
        a.com.                 | false
        a.com:                 | false
        a.com:x                | false
        a_b.com                | false
        [::1                   | false
        [::1]:                 | false
        [::1]5000              | false
        '[]'                   | false
        # the brackets hold hex digits and colons, the form is not checked further (as in Docker)
        [1:2:3:4:5:6:7:8:9]    | true
        [1::2::3]              | true
        [12345::1]             | true
        [gggg::1]              | false
        [1.2.3.4]              | false
        [fe80::1%eth0]         | false
        [fe80::1%eth0]:5000    | false
        [::1]]                 | false
        a/b                    | false
        """)
    void checksRegistryHosts(String host, boolean valid) {
        assertEquals(valid, Names.isValidHost(host), host);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        library/ubuntu | true
        a              | true
        a/b/c          | true
        a__b/c-d/e.f   | true
        Library/ubuntu | false
        a//b           | false
        /a             | false
        a/             | false
        a/../b         | false
        a___b          | false
        ''             | false
        """)
    void checksRepositoryPaths(String path, boolean valid) {
        assertEquals(valid, Names.isValidRepository(path), path);
        if (!valid) {
            assertEquals(ErrorCode.NAME_INVALID, assertThrows(OciException.class, () -> Names.requireRepository(path)).code());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        latest  | true
        _x      | true
        v1.0-rc | true
        .x      | false
        -x      | false
        a/b     | false
        ''      | false
        """)
    void checksTags(String tag, boolean valid) {
        assertEquals(valid, Names.isValidTag(tag), tag);
        if (!valid) {
            assertEquals(ErrorCode.TAG_INVALID, assertThrows(OciException.class, () -> Names.requireTag(tag)).code());
        }
    }
}
