package dev.registrymesh.index.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registrymesh.index.access.Authenticator;
import dev.registrymesh.index.access.Caller;
import dev.registrymesh.index.access.ScopeAuthorizer;
import dev.registrymesh.index.events.EventIntake;
import dev.registrymesh.index.store.StoreJson;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The service-to-service API (auth-service, registry-service). Guarded by {@link InternalGuard}. */
@Path("/internal/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "internal")
public class InternalResource {
    public static final String EVENTS_MEDIA_TYPE = "application/vnd.docker.distribution.events.v1+json";

    @Inject
    Authenticator authenticator;
    @Inject
    ScopeAuthorizer authorizer;
    @Inject
    EventIntake events;
    @Inject
    dev.registrymesh.index.lifecycle.LifecycleService lifecycle;

    public record AuthenticateRequest(String username, String password) {
    }

    /** {@code binding}: the stamp of account and credential that refresh tokens carry (see Authenticator#binding). */
    public record AuthenticateResponse(String subject, String credential, boolean admin, String binding) {
    }

    /** {@code binding}: present for refresh tokens; the request is refused when the sign-in it came from has ended. */
    public record AuthorizeRequest(String subject, String credential, String binding, List<ScopeAuthorizer.Scope> scopes) {
    }

    public record AuthorizeResponse(List<ScopeAuthorizer.Scope> access) {
    }

    @POST
    @Path("/authenticate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Check a password, personal access token or robot secret")
    public AuthenticateResponse authenticate(AuthenticateRequest body) {
        Requests.require(body);
        Caller c = authenticator.authenticate(body.username(), body.password());
        return new AuthenticateResponse(c.subject(), c.credential(), c.admin(), authenticator.binding(c));
    }

    @POST
    @Path("/authorize")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Grant the permitted subset of each requested scope")
    public AuthorizeResponse authorize(AuthorizeRequest body) {
        Requests.require(body);
        Caller c = authenticator.resume(body.subject(), body.credential(), body.binding());
        return new AuthorizeResponse(authorizer.authorize(c, body.scopes() == null ? List.of() : body.scopes()));
    }

    @jakarta.ws.rs.GET
    @Path("/namespaces/{ns}/lifecycle")
    @Operation(summary = "A namespace's quota, retention and immutable tag rules (and tag pull times), for registry-service")
    public java.util.Map<String, Object> lifecycle(@jakarta.ws.rs.PathParam("ns") String ns) {
        return lifecycle.internalView(ns);
    }

    @POST
    @Path("/events")
    @Consumes({EVENTS_MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Registry notifications (CNCF Distribution envelope), applied once per event id")
    public EventIntake.Result events(String body) {
        JsonNode envelope;
        try {
            envelope = StoreJson.MAPPER.readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw ApiException.invalid("malformed notification envelope");
        }
        return events.accept(envelope);
    }
}
