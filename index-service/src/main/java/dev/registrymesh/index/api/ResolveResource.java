package dev.registrymesh.index.api;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.ImageReference;
import dev.registrymesh.common.OciException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Reference resolution with common's parser: what a name like {@code ubuntu} stands for. */
@Path("/v1/resolve")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "references")
public class ResolveResource {

    /** Null tag or digest are written as null, never left out. */
    public record Resolved(String input, String canonical, String registry, String repository, String tag, String digest,
                           String familiar, String familiarName) {
    }

    @GET
    @Operation(summary = "Normalize an image reference the way docker does (400 NAME_INVALID, TAG_INVALID or DIGEST_INVALID)")
    public Resolved resolve(@QueryParam("reference") String reference) {
        if (reference == null || reference.isEmpty()) {
            throw new OciException(ErrorCode.NAME_INVALID, "missing ?reference=");
        }
        ImageReference ref = ImageReference.parse(reference);
        return new Resolved(reference, ref.canonical(), ref.registry(), ref.repository(), ref.tag(),
                ref.digest() == null ? null : ref.digest().toString(), ref.familiar(), ref.familiarName());
    }
}
