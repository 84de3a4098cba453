package dev.registrymesh.registry.blob;

import dev.registrymesh.common.Digest;

/** A blob that an upload put into a repository. */
public record Committed(Digest digest, long size) {
}
