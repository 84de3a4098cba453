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
        # distribution/reference regexp_test.go, TestDomainRegexp
        test.com                                         | true
        test.com:10304                                   | true
        test.com:http                                    | false
        localhost                                        | true
        localhost:8080                                   | true
        a                                                | true
        a.b                                              | true
        ab.cd.com                                        | true
        a-b.com                                          | true
        -ab.com                                          | false
        ab-.com                                          | false
        ab.c-om                                          | true
        ab.-com                                          | false
        ab.com-                                          | false
        0101.com                                         | true
        001a.com                                         | true
        b.gbc.io:443                                     | true
        b.gbc.io                                         | true
        xn--n3h.com                                      | true
        Asdf.com                                         | true
        192.168.1.1:75050                                | true
        192.168.1.1:750050                               | true
        [fd00:1:2::3]:75050                              | true
        [fd00:1:2::3]75050                               | false
        [fd00:1:2::3]::75050                             | false
        [fd00:1:2::3%eth0]:75050                         | false
        [fd00123123123]:75050                            | true
        [2001:0db8:85a3:0000:0000:8a2e:0370:7334]:75050  | true
        [2001:0db8:85a3:0000:0000:8a2e:0370:7334]:750505 | true
        fd00:1:2::3:75050                                | false
        a/b                    | false
        """)
    void checksRegistryHosts(String host, boolean valid) {
        assertEquals(valid, Names.isValidHost(host), host);
    }

    /** distribution/reference regexp_test.go, TestIdentifierRegexp: exactly 64 lowercase hex digits. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf9821        | true
        7EC43B381E5AEFE6E04EFB0B3F0693FF2A4A50652D64AEC573905F2DB5889A1C        | false
        da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf            | false
        sha256:da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf9821 | false
        da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf98218482    | false
        """)
    void recognizesHexIdentifiers(String s, boolean hex) {
        assertEquals(hex, Names.isHexIdentifier(s), s);
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
