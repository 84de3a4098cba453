package dev.registrymesh.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {
    static final String H64 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final String H128 = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        sha256:{64}   | SHA256
        sha512:{128}  | SHA512
        sha256:0000000000000000000000000000000000000000000000000000000000000000 | SHA256
        sha256:abcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdef0123 | SHA256
        """)
    void parsesValidDigests(String text, Digest.Algorithm algorithm) {
        String expanded = text.replace("{64}", H64).replace("{128}", H128);
        Digest digest = Digest.parse(expanded);
        assertEquals(algorithm, digest.algorithm());
        assertEquals(expanded, digest.toString());
        assertEquals(expanded.substring(expanded.indexOf(':') + 1), digest.hex());
        assertEquals(algorithm.id(), digest.algorithmId());
        assertTrue(Digest.isValid(expanded));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "sha256", "sha256:", ":{64}", "{64}", "sha256:abc", "sha256:{64}0", "sha256:{64}{64}", "sha512:{64}",
        "sha256:{U64}", "SHA256:{64}", "Sha256:{64}", "sha384:{64}", "md5:d41d8cd98f00b204e9800998ecf8427e",
        "sha256:{64}\n", " sha256:{64}", "sha256: {64}", "sha256:{64}:x", "sha256::{64}", "sha256:g{63}",
        "sha512:{128}0", "sha512:{U128}", "sha256+b64:{64}", "sha256:-{63}"
    })
    void rejectsInvalidDigests(String text) {
        String expanded = text == null ? null : text.replace("{64}", H64).replace("{128}", H128)
                .replace("{U64}", H64.toUpperCase()).replace("{U128}", H128.toUpperCase()).replace("{63}", H64.substring(1));
        assertFalse(Digest.isValid(expanded), expanded);
        assertThrows(IllegalArgumentException.class, () -> Digest.parse(expanded));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        SHA256 | ''  | e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        SHA256 | abc | ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        SHA512 | ''  | cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e
        SHA512 | abc | ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f
        """)
    void computesKnownHashes(Digest.Algorithm algorithm, String content, String hex) {
        Digest digest = Digest.compute(algorithm, content.getBytes(StandardCharsets.UTF_8));
        assertEquals(new Digest(algorithm, hex), digest);
        assertEquals(Digest.parse(algorithm.id() + ":" + hex), digest);
    }

    @Test
    void sha256ShortcutAndOrdering() {
        assertEquals("sha256:" + H64, Digest.sha256(new byte[0]).toString());
        Digest low = Digest.parse("sha256:" + "0".repeat(64));
        Digest high = Digest.parse("sha256:" + H64);
        assertTrue(low.compareTo(high) < 0);
        assertEquals(0, high.compareTo(Digest.parse("sha256:" + H64)));
        assertThrows(IllegalArgumentException.class, () -> new Digest(null, H64));
        assertThrows(IllegalArgumentException.class, () -> new Digest(Digest.Algorithm.SHA256, null));
        assertThrows(IllegalArgumentException.class, () -> Digest.of(Digest.Algorithm.SHA512, new byte[32]));
    }
}
