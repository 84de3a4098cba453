package dev.registrymesh.registry;

import dev.registrymesh.common.http.RequestGuard;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Starts registry-service; every request target reaches its routes, so every refusal has the spec's body. */
@QuarkusMain
public final class RegistryMain {
    public static void main(String... args) {
        RequestGuard.receiveEveryRequestTarget();
        Quarkus.run(args);
    }
}
