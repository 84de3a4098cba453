package dev.registrymesh.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IndexFallbackTest {
    private static final String ARM = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String AMD = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static final String INDEX = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1,"platform":{"os":"linux","architecture":"arm64"}},
              {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"%s","size":1,"platform":{"os":"linux","architecture":"amd64"}},
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":1,"platform":{"os":"windows","architecture":"amd64"}}
            ]}""".formatted(ARM, AMD, "c".repeat(64));

    /** accepted types (space separated; "-" for none sent), the child served instead ("" = none). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "application/vnd.docker.distribution.manifest.v2+json, " + AMD,
            "application/vnd.oci.image.manifest.v1+json,            ''",
            "application/*,                                         " + AMD,
            "-,                                                     " + AMD,
    })
    void theLinuxAmd64ChildInAnAcceptedType(String accepted, String expected) {
        List<String> types = accepted.equals("-") ? List.of() : Arrays.asList(accepted.split(" "));
        String child = IndexFallback.child(INDEX.getBytes(StandardCharsets.UTF_8), types).map(Digest::toString).orElse("");
        assertEquals(expected, child);
    }

    @ParameterizedTest
    @CsvSource({"not json", "{\"manifests\":[{\"digest\":\"sha256:short\",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}"})
    void nothingFromABrokenIndex(String index) {
        assertEquals(java.util.Optional.empty(), IndexFallback.child(index.getBytes(StandardCharsets.UTF_8), List.of()));
    }
}
