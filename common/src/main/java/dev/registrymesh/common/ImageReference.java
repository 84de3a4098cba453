package dev.registrymesh.common;

/**
 * An image reference, {@code [registry/][namespace/]repository[:tag][@digest]}, normalized with the
 * Docker rules: no host means {@code docker.io}, a one-part name there gets {@code library/},
 * {@code index.docker.io} becomes {@code docker.io}, and no tag and no digest means tag {@code latest}.
 * The constructor validates and normalizes too, so every instance is a valid, normalized reference.
 *
 * @param registry   the registry host as written ({@code docker.io} when none is named); never lowercased
 * @param repository the repository path within the registry ({@code library/ubuntu})
 * @param tag        the tag, {@code latest} when neither tag nor digest is given, null when only a digest is
 * @param digest     the digest, or null
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";
    /** The host older clients wrote for Docker Hub; it means the same registry. */
    public static final String LEGACY_DOCKER_HUB = "index.docker.io";
    public static final String OFFICIAL_NAMESPACE = "library";
    public static final String DEFAULT_TAG = "latest";

    public ImageReference {
        if (!Names.isValidHost(registry)) {
            throw nameInvalid("invalid reference format: invalid registry host (" + registry + ")");
        }
        if (registry.equals(LEGACY_DOCKER_HUB)) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && repository != null && !repository.isEmpty() && repository.indexOf('/') < 0) {
            repository = OFFICIAL_NAMESPACE + "/" + repository;
        }
        String problem = Names.repositoryProblem(repository);
        if (problem != null) {
            throw nameInvalid(problem);
        }
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
        if (tag != null && !Names.isValidTag(tag)) {
            throw new InvalidReferenceException(ErrorCode.TAG_INVALID, "invalid reference format: invalid tag (" + tag + ")");
        }
    }

    /** Parses and normalizes {@code text}; throws {@link InvalidReferenceException} when it is not a reference. */
    public static ImageReference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw nameInvalid("invalid reference format: empty reference");
        }
        // Only the whole input is checked: alone, 64 hex digits could be an image id; with a tag, digest or
        // another path part ("library/<hex>", "<hex>:1") they can only be a name, as in Docker.
        if (Names.isHexIdentifier(text)) {
            throw nameInvalid("invalid repository name (" + text + "), cannot specify 64-byte hexadecimal strings");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == 0x7f || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw nameInvalid("invalid reference format: whitespace or control character in reference");
            }
        }
        // Hosts, names and tags never contain '@', so everything after the first one is the digest.
        String name = text;
        String digestText = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            digestText = name.substring(at + 1);
            name = name.substring(0, at);
        }
        String registry = DOCKER_HUB;
        String path = name;
        int slash = name.indexOf('/');
        boolean hostWritten = slash > 0 && looksLikeHost(name.substring(0, slash));
        if (hostWritten) {
            registry = name.substring(0, slash);
            path = name.substring(slash + 1);
        }
        // A ':' after the last '/' starts the tag; one before it belongs to the (then invalid) path.
        String tag = null;
        int colon = path.lastIndexOf(':');
        if (colon > path.lastIndexOf('/')) {
            tag = path.substring(colon + 1);
            path = path.substring(0, colon);
        }
        // The constructor checks host, path and tag first, so that a bad name is reported before a bad digest.
        ImageReference named = new ImageReference(registry, path, tag, null);
        return digestText == null ? named : new ImageReference(named.registry, named.repository, tag, parseDigest(digestText));
    }

    /** True when {@code part}, the text before the first '/', names a registry host rather than a namespace. */
    private static boolean looksLikeHost(String part) {
        return part.indexOf('.') >= 0 || part.indexOf(':') >= 0 || part.equals("localhost") || Names.hasAsciiUppercase(part);
    }

    private static Digest parseDigest(String text) {
        try {
            return Digest.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidReferenceException(ErrorCode.DIGEST_INVALID, "invalid reference format: " + e.getMessage());
        }
    }

    private static InvalidReferenceException nameInvalid(String message) {
        return new InvalidReferenceException(ErrorCode.NAME_INVALID, message);
    }

    /** {@code registry/repository}, e.g. {@code docker.io/library/ubuntu}. */
    public String name() {
        return registry + "/" + repository;
    }

    /** The full normalized form: {@code docker.io/library/ubuntu:latest}, {@code h/a:t@sha256:...}. */
    public String canonical() {
        return name() + suffix();
    }

    /** The short form the Docker CLI shows: {@code ubuntu:latest}, {@code alice/app:1.0}, {@code localhost:5000/a/b@sha256:...}. */
    public String familiar() {
        return familiarName() + suffix();
    }

    /**
     * The name without the Docker Hub host and the official namespace: {@code ubuntu}, {@code alice/app},
     * {@code localhost:5000/a/b}. Unlike Docker, Hub names whose first part would read as a host (such as
     * {@code docker.io/foo.com/app}) keep {@code docker.io/}, so that the familiar form parses back to the same name.
     * An official image named by 64 hex digits drops its prefix as any other does: {@link #familiar()} always has
     * a tag or digest, so it never reads as a bare image id.
     */
    public String familiarName() {
        if (!isDockerHub()) {
            return name();
        }
        String officialPrefix = OFFICIAL_NAMESPACE + "/";
        if (repository.startsWith(officialPrefix) && repository.indexOf('/', officialPrefix.length()) < 0) {
            return repository.substring(officialPrefix.length());
        }
        // The constructor guarantees a '/' in every Docker Hub repository.
        return looksLikeHost(repository.substring(0, repository.indexOf('/'))) ? name() : repository;
    }

    /** The same image with {@code newTag} (a digest, if any, is kept); TAG_INVALID for a null or bad tag. */
    public ImageReference withTag(String newTag) {
        if (!Names.isValidTag(newTag)) {
            throw new InvalidReferenceException(ErrorCode.TAG_INVALID, "invalid reference format: invalid tag (" + newTag + ")");
        }
        return new ImageReference(registry, repository, newTag, digest);
    }

    /** The same image pinned to {@code newDigest} (a tag, if any, is kept); DIGEST_INVALID for null. */
    public ImageReference withDigest(Digest newDigest) {
        if (newDigest == null) {
            throw new InvalidReferenceException(ErrorCode.DIGEST_INVALID, "invalid reference format: missing digest");
        }
        return new ImageReference(registry, repository, tag, newDigest);
    }

    public boolean isDockerHub() {
        return DOCKER_HUB.equals(registry);
    }

    @Override
    public String toString() {
        return canonical();
    }

    private String suffix() {
        return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
