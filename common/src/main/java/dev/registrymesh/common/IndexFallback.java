package dev.registrymesh.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Collection;
import java.util.Optional;

/**
 * What a client that cannot read a multi-platform index gets instead when it asks by tag: the index's
 * linux/amd64 image, in a type it accepts, as CNCF Distribution answers old clients.
 */
public final class IndexFallback {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IndexFallback() {
    }

    /** The digest of the linux/amd64 child of {@code index} that the client accepts; empty when there is none. */
    public static Optional<Digest> child(byte[] index, Collection<String> accepted) {
        JsonNode manifests;
        try {
            manifests = JSON.readTree(index).path("manifests");
        } catch (IOException e) {
            return Optional.empty();
        }
        for (JsonNode child : manifests) {
            JsonNode platform = child.path("platform");
            String digest = child.path("digest").asText("");
            if ("linux".equals(platform.path("os").asText()) && "amd64".equals(platform.path("architecture").asText())
                    && Accept.allows(accepted, child.path("mediaType").asText("")) && Digest.isValid(digest)) {
                return Optional.of(Digest.parse(digest));
            }
        }
        return Optional.empty();
    }
}
