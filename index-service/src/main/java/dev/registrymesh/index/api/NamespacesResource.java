package dev.registrymesh.index.api;

import dev.registrymesh.index.account.NamePolicy;
import dev.registrymesh.index.account.RobotService;
import dev.registrymesh.index.store.IndexStore;
import dev.registrymesh.index.lifecycle.LifecycleService;
import dev.registrymesh.index.model.NamespacePolicy;
import jakarta.ws.rs.PUT;
import java.util.Map;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/namespaces/{ns}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "namespaces and robots")
public class NamespacesResource {
    @Inject
    CallerResolver callers;
    @Inject
    RobotService robots;
    @Inject
    IndexStore store;
    @Inject
    LifecycleService lifecycle;

    @GET
    @Operation(summary = "Who owns a namespace: a user, an organization, or the official namespace")
    public Views.NamespaceView get(@PathParam("ns") String ns) {
        if (NamePolicy.OFFICIAL_NAMESPACE.equals(ns)) {
            return new Views.NamespaceView(ns, "official");
        }
        if (store.users().get(ns).isPresent()) {
            return new Views.NamespaceView(ns, "user");
        }
        if (store.orgs().get(ns).isPresent()) {
            return new Views.NamespaceView(ns, "organization");
        }
        throw ApiException.notFound("no such namespace: " + ns);
    }

    @GET
    @Path("/robots")
    @Operation(summary = "The namespace's robot accounts (owners only)")
    public List<Views.RobotView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("ns") String ns) {
        return robots.list(callers.resolve(auth), ns).stream().map(r -> Views.RobotView.of(r, null)).toList();
    }

    @POST
    @Path("/robots")
    @Operation(summary = "Create a robot; its secret is in this answer only. It logs in as <ns>+<name>.")
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("ns") String ns, Requests.NewRobot body) {
        Requests.require(body);
        RobotService.Created c = robots.create(callers.resolve(auth), ns, body.name(), body.role());
        return Response.created(URI.create("/api/v1/namespaces/" + ns + "/robots/" + c.robot().name()))
                .entity(Views.RobotView.of(c.robot(), c.secret())).build();
    }

    @GET
    @Path("/robots/{robot}")
    public Views.RobotView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("ns") String ns,
                               @PathParam("robot") String robot) {
        return Views.RobotView.of(robots.get(callers.resolve(auth), ns, robot), null);
    }

    @POST
    @Path("/robots/{robot}/secret")
    @Operation(summary = "Replace a robot's secret; the old one stops working at once")
    public Views.RobotView regenerate(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("ns") String ns,
                                      @PathParam("robot") String robot) {
        RobotService.Created c = robots.regenerate(callers.resolve(auth), ns, robot);
        return Views.RobotView.of(c.robot(), c.secret());
    }

    @DELETE
    @Path("/robots/{robot}")
    public Response delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("ns") String ns,
                           @PathParam("robot") String robot) {
        robots.delete(callers.resolve(auth), ns, robot);
        return Response.noContent().build();
    }

    // Storage lifecycle: quota, retention, immutable tags (rules in LifecycleService).

    @GET
    @Path("/quota")
    @Operation(summary = "The namespace's quota and usage (members and admins)")
    public Map<String, Object> quota(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("ns") String ns) {
        return lifecycle.quota(callers.resolve(auth), ns);
    }

    @PUT
    @Path("/quota")
    @Operation(summary = "Set the quota in bytes and the repository limit (admins); null removes a limit")
    public Map<String, Object> setQuota(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("ns") String ns, Requests.QuotaBody body) {
        Requests.require(body);
        lifecycle.setQuota(callers.resolve(auth), ns, body.quotaBytes(), body.maxRepositories());
        return lifecycle.quota(callers.resolve(auth), ns);
    }

    @GET
    @Path("/retention")
    public Requests.RetentionBody retention(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("ns") String ns) {
        return new Requests.RetentionBody(lifecycle.retention(callers.resolve(auth), ns));
    }

    @PUT
    @Path("/retention")
    @Operation(summary = "Replace the retention rules (owners and admins)")
    public Requests.RetentionBody setRetention(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("ns") String ns, Requests.RetentionBody body) {
        Requests.require(body);
        return new Requests.RetentionBody(lifecycle.setRetention(callers.resolve(auth), ns, body.rules()));
    }

    @GET
    @Path("/retention/preview")
    @Operation(summary = "What the rules and the collection would remove now (a dry run)")
    public Map<String, Object> preview(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("ns") String ns) {
        return lifecycle.retentionPreview(callers.resolve(auth), ns);
    }

    @GET
    @Path("/immutable-tags")
    public Requests.ImmutableBody immutable(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("ns") String ns) {
        return new Requests.ImmutableBody(lifecycle.immutable(callers.resolve(auth), ns));
    }

    @PUT
    @Path("/immutable-tags")
    @Operation(summary = "Replace the namespace's immutable tag rules (owners and admins)")
    public Requests.ImmutableBody setImmutable(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("ns") String ns, Requests.ImmutableBody body) {
        Requests.require(body);
        return new Requests.ImmutableBody(lifecycle.setImmutable(callers.resolve(auth), ns, body.rules()));
    }
}
