package dev.registrymesh.registry.http;

import dev.registrymesh.common.Digest;
import dev.registrymesh.registry.events.RegistryEvent;
import dev.registrymesh.registry.events.RegistryEventSink;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/** Reports what a request did to the event sink, with who did it and from where. */
@ApplicationScoped
class RequestEvents {
    @Inject
    RegistryEventSink sink;

    void publish(RoutingContext ctx, String action, String repository, Digest digest, String mediaType, long size, String tag) {
        var request = ctx.request();
        String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        sink.publish(new RegistryEvent(action, repository, digest, mediaType, size, tag, ctx.get(Headers.SUBJECT_KEY),
                address, request.method().name(), request.getHeader("User-Agent"), Instant.now()));
    }
}
