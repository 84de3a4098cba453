package dev.registrymesh.common;

/**
 * An image reference, {@code [registry/][namespace/]repository[:tag][@digest]}, normalized with the
 * Docker rules. PLACEHOLDER: the parser is being written (see the reference tests).
 *
 * @param registry   the registry host as written ({@code docker.io} when none is named)
 * @param repository the repository path within the registry ({@code library/ubuntu})
 * @param tag        the tag, {@code latest} when neither tag nor digest is given, null when only a digest is
 * @param digest     the digest, or null
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";
    public static final String OFFICIAL_NAMESPACE = "library";
    public static final String DEFAULT_TAG = "latest";

    /** Parses and normalizes {@code text}; throws {@link InvalidReferenceException} when it is not a reference. */
    public static ImageReference parse(String text) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
