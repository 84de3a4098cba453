package dev.registrymesh.common.http;

import java.util.List;

/** Reads the repository name out of an OCI Distribution API path without routing it. */
public final class V2Paths {
    private static final String PREFIX = "/v2/";
    private static final List<String> MARKERS = List.of("/blobs/", "/manifests/", "/tags/list", "/referrers/");

    private V2Paths() {
    }

    /** True for {@code /v2} and everything under {@code /v2/}. */
    public static boolean isApi(String path) {
        return path.equals("/v2") || path.startsWith(PREFIX);
    }

    /**
     * The repository in a /v2 path: everything between /v2/ and the last route marker; null when the path
     * has no marker (the version check, the catalog, unknown paths), "" when the name is empty.
     */
    public static String repository(String path) {
        if (!path.startsWith(PREFIX)) {
            return null;
        }
        int end = -1;
        for (String marker : MARKERS) {
            end = Math.max(end, path.lastIndexOf(marker));
        }
        if (end < PREFIX.length() - 1) {
            return null;
        }
        return end == PREFIX.length() - 1 ? "" : path.substring(PREFIX.length(), end);
    }
}
