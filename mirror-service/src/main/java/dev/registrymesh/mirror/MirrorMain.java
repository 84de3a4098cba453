package dev.registrymesh.mirror;

import dev.registrymesh.common.http.RequestGuard;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Starts mirror-service; every request target reaches its routes, so every refusal has the spec's body. */
@QuarkusMain
public final class MirrorMain {
    public static void main(String... args) {
        RequestGuard.receiveEveryRequestTarget();
        Quarkus.run(args);
    }
}
