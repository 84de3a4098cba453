package dev.registrymesh.mirror.cache;

import dev.registrymesh.common.Digest;

/** A manifest's exact bytes, digest and media type. */
public record CachedManifest(Digest digest, String mediaType, byte[] content) {
}
