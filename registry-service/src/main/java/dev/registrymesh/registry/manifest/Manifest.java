package dev.registrymesh.registry.manifest;

import dev.registrymesh.common.Digest;

/** A stored manifest: its exact bytes, digest and media type. */
public record Manifest(Digest digest, String mediaType, byte[] content) {
}
