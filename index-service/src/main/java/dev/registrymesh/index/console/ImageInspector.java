package dev.registrymesh.index.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.registrymesh.common.Digest;
import dev.registrymesh.common.ImageReference;
import dev.registrymesh.common.MediaTypes;
import dev.registrymesh.common.Names;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.config.MeshConfig;
import dev.registrymesh.index.model.RepositoryRecord;
import dev.registrymesh.index.repo.RegistryReads;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the console shows of images: tag lists with sizes and platforms, and one image's manifest, config, layers
 * and referrers, read from registry-service. The caller has checked the viewer's pull right on the repository.
 */
@ApplicationScoped
@Startup
public class ImageInspector {
    /** Tags summarized with sizes and platforms (each costs reads); further ones are listed with their digest only. */
    static final int SUMMARIZED_TAGS = 50;
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Inject
    RegistryReads registry;
    @Inject
    MeshConfig config;

    private String registryHost;

    public record TagRow(String tag, String digest, String shortDigest, String size, String platforms, String pushedAt) {
    }

    public record Platform(String platform, String digest, String shortDigest, String size) {
    }

    public record Layer(String mediaType, String digest, String shortDigest, String size) {
    }

    public record Pair(String key, String value) {
    }

    public record ImageConfig(String created, String architecture, String os, String entrypoint, String command,
                              List<String> environment, List<Pair> labels) {
    }

    public record Referrer(String digest, String shortDigest, String mediaType, String size, List<Pair> annotations) {
    }

    public record ReferrerGroup(String artifactType, List<Referrer> referrers) {
    }

    public record Image(String repository, String reference, String digest, String mediaType, boolean index, String size,
                        String pullCommand, String pullByDigest, List<Platform> platforms, ImageConfig config,
                        List<Layer> layers, List<ReferrerGroup> referrers, String manifestJson) {
    }

    @PostConstruct
    void init() {
        registryHost = config.console().registryHost().filter(h -> !h.isBlank())
                .orElseGet(() -> URI.create(config.registryUrl()).getAuthority());
        if (!Names.isValidHost(registryHost)) {
            // A pull command naming no valid host would be wrong on every page: fail at start instead.
            throw new IllegalArgumentException("MESH_CONSOLE_REGISTRY_HOST (or the host of MESH_REGISTRY_URL) is no registry host: "
                    + registryHost);
        }
    }

    /** {@code docker pull HOST/ns/name:tag} or {@code ...@sha256:...}, written by the shared naming rules. */
    public String pullCommand(String repository, String tag, String digest) {
        ImageReference ref = new ImageReference(registryHost, repository, digest == null ? tag : null,
                digest == null ? null : Digest.parse(digest));
        return "docker pull " + ref.familiar();
    }

    /** The repository's tags, newest push first (tags without a recorded push time last, by name). */
    public List<TagRow> tags(RepositoryRecord record) {
        String repository = record.fullName();
        List<RegistryReads.TagEntry> entries = new ArrayList<>(registry.tags(repository));
        Map<String, Instant> pushed = record.tagsPushedAt();
        entries.sort(Comparator.comparing((RegistryReads.TagEntry e) -> pushed.getOrDefault(e.tag(), Instant.EPOCH)).reversed()
                .thenComparing(RegistryReads.TagEntry::tag));
        List<TagRow> rows = new ArrayList<>();
        for (RegistryReads.TagEntry e : entries) {
            String size = "";
            String platforms = "";
            if (rows.size() < SUMMARIZED_TAGS) {
                RegistryReads.Fetched manifest = registry.manifest(repository, e.digest());
                JsonNode json = manifest.json();
                if (MediaTypes.isIndex(manifest.mediaType())) {
                    List<String> names = new ArrayList<>();
                    long total = 0;
                    for (JsonNode child : json.path("manifests")) {
                        if (isPlatform(child)) {
                            names.add(platform(child.path("platform")));
                            total += imageSize(repository, child.path("digest").asText());
                        }
                    }
                    platforms = String.join(", ", names);
                    size = Fmt.bytes(total);
                } else {
                    size = Fmt.bytes(imageSize(json));
                }
            }
            rows.add(new TagRow(e.tag(), e.digest(), Fmt.shortDigest(e.digest()), size, platforms, Fmt.when(pushed.get(e.tag()))));
        }
        return rows;
    }

    /** One image by tag or digest; 404 when the reference is not one the registry could hold. */
    public Image image(String repository, String reference) {
        boolean byDigest = reference.indexOf(':') > 0;
        if (byDigest ? !Digest.isValid(reference) : !Names.isValidTag(reference)) {
            throw ApiException.notFound("no tag or digest can be '" + reference + "'");
        }
        RegistryReads.Fetched manifest = registry.manifest(repository, reference);
        JsonNode json = manifest.json();
        String digest = manifest.digest();
        boolean index = MediaTypes.isIndex(manifest.mediaType());
        List<Platform> platforms = new ArrayList<>();
        List<Layer> layers = new ArrayList<>();
        ImageConfig imageConfig = null;
        long size = 0;
        if (index) {
            for (JsonNode child : json.path("manifests")) {
                String childDigest = child.path("digest").asText();
                long childSize = isPlatform(child) ? imageSize(repository, childDigest) : child.path("size").asLong();
                size += childSize;
                platforms.add(new Platform(isPlatform(child) ? platform(child.path("platform")) : child.path("mediaType").asText(),
                        childDigest, Fmt.shortDigest(childDigest), Fmt.bytes(childSize)));
            }
        } else {
            JsonNode configRef = json.path("config");
            for (JsonNode layer : json.path("layers")) {
                layers.add(new Layer(layer.path("mediaType").asText(), layer.path("digest").asText(),
                        Fmt.shortDigest(layer.path("digest").asText()), Fmt.bytes(layer.path("size").asLong())));
            }
            size = imageSize(json);
            String configType = configRef.path("mediaType").asText();
            if (configType.equals(MediaTypes.OCI_CONFIG) || configType.equals(MediaTypes.DOCKER_CONFIG)) {
                imageConfig = registry.config(repository, configRef.path("digest").asText()).map(c -> config(c.json())).orElse(null);
            }
        }
        String tag = byDigest ? null : reference;
        return new Image(repository, reference, digest, manifest.mediaType(), index, Fmt.bytes(size),
                pullCommand(repository, tag, byDigest ? digest : null), pullCommand(repository, null, digest),
                platforms, imageConfig, layers, referrers(repository, digest), pretty(json));
    }

    private List<ReferrerGroup> referrers(String repository, String digest) {
        Map<String, List<Referrer>> groups = new TreeMap<>();
        for (JsonNode d : registry.referrers(repository, digest).json().path("manifests")) {
            String type = d.path("artifactType").asText(d.path("mediaType").asText());
            List<Pair> annotations = new ArrayList<>();
            d.path("annotations").fields().forEachRemaining(f -> annotations.add(new Pair(f.getKey(), f.getValue().asText())));
            String refDigest = d.path("digest").asText();
            groups.computeIfAbsent(type, k -> new ArrayList<>()).add(new Referrer(refDigest, Fmt.shortDigest(refDigest),
                    d.path("mediaType").asText(), Fmt.bytes(d.path("size").asLong()), annotations));
        }
        List<ReferrerGroup> out = new ArrayList<>();
        groups.forEach((type, list) -> out.add(new ReferrerGroup(type, list)));
        return out;
    }

    private static ImageConfig config(JsonNode c) {
        JsonNode inner = c.path("config");
        List<String> env = new ArrayList<>();
        inner.path("Env").forEach(e -> env.add(e.asText()));
        List<Pair> labels = new ArrayList<>();
        inner.path("Labels").fields().forEachRemaining(f -> labels.add(new Pair(f.getKey(), f.getValue().asText())));
        return new ImageConfig(c.path("created").asText(""), c.path("architecture").asText(""), c.path("os").asText(""),
                words(inner.path("Entrypoint")), words(inner.path("Cmd")), env, labels);
    }

    /** A JSON array of arguments as a shell would show it: ["sh","-c","x y"] -> sh -c "x y". */
    private static String words(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(a -> out.add(a.asText().matches("[A-Za-z0-9_./:=@%+-]+") ? a.asText() : '"' + a.asText().replace("\"", "\\\"") + '"'));
        return String.join(" ", out);
    }

    /** An image's size as pulled: its config and layers (compressed). */
    private static long imageSize(JsonNode manifest) {
        long total = manifest.path("config").path("size").asLong();
        for (JsonNode layer : manifest.path("layers")) {
            total += layer.path("size").asLong();
        }
        return total;
    }

    private long imageSize(String repository, String digest) {
        try {
            RegistryReads.Fetched child = registry.manifest(repository, digest);
            return MediaTypes.isIndex(child.mediaType()) ? 0 : imageSize(child.json());
        } catch (ApiException missing) {
            return 0;
        }
    }

    /** Index entries that are images for a platform (not attestation manifests, which say "unknown/unknown"). */
    private static boolean isPlatform(JsonNode child) {
        JsonNode p = child.path("platform");
        return p.isObject() && !"unknown".equals(p.path("os").asText()) && !p.path("os").asText().isEmpty();
    }

    private static String platform(JsonNode p) {
        String s = p.path("os").asText() + "/" + p.path("architecture").asText();
        return p.hasNonNull("variant") ? s + "/" + p.path("variant").asText() : s;
    }

    private static String pretty(JsonNode json) {
        try {
            String text = PRETTY.writeValueAsString(json);
            return text.length() > 64_000 ? text.substring(0, 64_000) + "\n..." : text;
        } catch (IOException e) {
            return "";
        }
    }
}
