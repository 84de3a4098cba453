package dev.registrymesh.registry.events;

import dev.registrymesh.common.Digest;
import java.time.Instant;

/**
 * Something that happened to a repository's content, as CNCF Distribution's notifications describe it.
 *
 * @param action     {@code push}, {@code pull}, {@code delete} or {@code mount}
 * @param repository the repository path, e.g. {@code alice/app}
 * @param digest     the manifest or blob digest
 * @param mediaType  the manifest's media type, or {@code application/octet-stream} for blobs
 * @param size       content length in bytes (0 for deletes)
 * @param tag        the tag involved, or null
 * @param actor      the authenticated subject, or null for anonymous callers
 * @param remoteAddr the client address
 * @param method     the HTTP method of the request
 * @param userAgent  the client's User-Agent, or null
 */
public record RegistryEvent(String action, String repository, Digest digest, String mediaType, long size, String tag,
                            String actor, String remoteAddr, String method, String userAgent, Instant timestamp) {
}
