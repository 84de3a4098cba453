package dev.registrymesh.testkit;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import java.net.URI;

/**
 * The management interface of the application under {@code @QuarkusTest}: {@code /q/health} and {@code /q/metrics}
 * answer there only, on a random port of its own ({@code quarkus.management.test-port=0}).
 */
public final class Management {
    private Management() {
    }

    /** {@code http://localhost:<management port><path>}, for example {@code url("/q/health/ready")}. */
    public static String url(String path) {
        URI base = URI.create(TestHTTPResourceManager.getManagementUri());
        return base.getScheme() + "://" + base.getHost() + ":" + base.getPort() + path;
    }

    /** The management port the application listens on. */
    public static int port() {
        return URI.create(TestHTTPResourceManager.getManagementUri()).getPort();
    }
}
