package dev.registrymesh.registry.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.common.OciException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the registry needs to know of a manifest's JSON: its media type, what it references, and its
 * subject. Parsing rejects what no client could use, with MANIFEST_INVALID.
 */
public record ParsedManifest(String mediaType, List<Reference> blobs, List<Reference> manifests, Reference subject,
                             String artifactType, JsonNode annotations) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A descriptor the manifest points at; {@code external} when it names {@code urls} to fetch it from. */
    public record Reference(Digest digest, String mediaType, long size, boolean external, JsonNode platform) {
    }

    /**
     * Parses {@code content}; {@code contentType} is the request's Content-Type, used when the JSON does not
     * name its media type (OCI allows that).
     */
    public static ParsedManifest parse(byte[] content, String contentType) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw invalid("manifest is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("manifest is not valid JSON");
        }
        if (!(root instanceof ObjectNode)) {
            throw invalid("manifest must be a JSON object");
        }
        if (root.path("schemaVersion").asInt(-1) != 2) {
            throw invalid("only schemaVersion 2 manifests are supported");
        }
        String mediaType = mediaTypeOf(root, contentType);
        List<Reference> blobs = new ArrayList<>();
        List<Reference> manifests = new ArrayList<>();
        if (MediaTypes.isIndex(mediaType)) {
            JsonNode children = root.path("manifests");
            if (!children.isArray()) {
                throw invalid("an index needs a \"manifests\" array");
            }
            for (JsonNode child : children) {
                manifests.add(descriptor(child, "manifests[]"));
            }
        } else {
            blobs.add(descriptor(root.path("config"), "config"));
            JsonNode layers = root.path("layers");
            if (!layers.isMissingNode() && !layers.isArray()) {
                throw invalid("\"layers\" must be an array");
            }
            for (JsonNode layer : layers) {
                blobs.add(descriptor(layer, "layers[]"));
            }
        }
        Reference subject = root.has("subject") ? descriptor(root.get("subject"), "subject") : null;
        String artifactType = root.path("artifactType").isTextual() ? root.get("artifactType").asText() : null;
        if (artifactType == null && MediaTypes.IMAGE_MANIFESTS.contains(mediaType) && !blobs.isEmpty()) {
            artifactType = blobs.get(0).mediaType(); // the spec: an image's artifact type is its config's media type
        }
        JsonNode annotations = root.path("annotations").isObject() ? root.get("annotations") : null;
        return new ParsedManifest(mediaType, blobs, manifests, subject, artifactType, annotations);
    }

    /** The media type in the JSON, else the Content-Type, else what the JSON's shape says it is. */
    private static String mediaTypeOf(JsonNode root, String contentType) {
        String declared = root.path("mediaType").isTextual() ? root.get("mediaType").asText() : null;
        String header = contentType == null ? null : contentType.split(";", 2)[0].trim();
        if (declared != null && header != null && MediaTypes.isManifest(header) && !declared.equals(header)) {
            throw invalid("manifest mediaType " + declared + " does not match Content-Type " + header);
        }
        String mediaType = declared != null ? declared
                : header != null && MediaTypes.isManifest(header) ? header
                : root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        if (!MediaTypes.isManifest(mediaType)) {
            throw invalid("unsupported manifest media type " + mediaType);
        }
        return mediaType;
    }

    private static Reference descriptor(JsonNode node, String where) {
        if (!node.isObject()) {
            throw invalid(where + " must be a descriptor object");
        }
        Digest digest;
        try {
            digest = Digest.parse(node.path("digest").asText(null));
        } catch (IllegalArgumentException e) {
            throw invalid(where + ": " + e.getMessage());
        }
        if (!node.path("mediaType").isTextual()) {
            throw invalid(where + " " + digest + " has no mediaType");
        }
        if (!node.path("size").canConvertToLong() || node.path("size").asLong() < 0) {
            throw invalid(where + " " + digest + " has no valid size");
        }
        boolean external = node.path("urls").isArray() && !node.path("urls").isEmpty();
        return new Reference(digest, node.get("mediaType").asText(), node.get("size").asLong(), external, node.get("platform"));
    }

    private static OciException invalid(String message) {
        return new OciException(ErrorCode.MANIFEST_INVALID, message, Map.of("reason", message));
    }
}
