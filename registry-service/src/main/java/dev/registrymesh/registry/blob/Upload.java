package dev.registrymesh.registry.blob;

import dev.registrymesh.common.Digest;

/** An upload session: bytes on their way into {@code repository}, hashed with {@code algorithm}. */
public record Upload(String uuid, String repository, Digest.Algorithm algorithm) {
}
