package dev.registrymesh.common;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The grammar of repository names, tags and registry hosts (the distribution reference grammar).
 * {@link ImageReference} parses whole references; services that get a name and a tag separately (URL paths)
 * check them here.
 */
public final class Names {
    /** One path component: lowercase alphanumerics joined by one '.', one or two '_', or any run of '-'. */
    public static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    public static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    /** One DNS label of a registry host; case is kept as written. */
    public static final Pattern DOMAIN_COMPONENT = Pattern.compile("[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]");
    /** The longest repository path (without the registry host) that a registry accepts. */
    public static final int MAX_REPOSITORY_LENGTH = 255;

    private static final Pattern PORT = Pattern.compile("[0-9]+");
    /**
     * What Docker accepts between the brackets of an IPv6 host: hex digits and colons, nothing else. It does not
     * check the address form (group count, one "::"), and it refuses zone ids ({@code %eth0}) and embedded IPv4.
     */
    private static final Pattern IPV6_ADDRESS = Pattern.compile("[0-9a-fA-F:]+");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

    private Names() {
    }

    /** True for a repository path such as {@code library/ubuntu}: components, '/'-separated, 255 chars at most. */
    public static boolean isValidRepository(String path) {
        return repositoryProblem(path) == null;
    }

    /**
     * Why {@code path} is not a valid repository path (a message in Docker's words), or null when it is.
     * Splitting on every '/' also rejects empty parts, leading or trailing '/', and {@code ..}.
     */
    public static String repositoryProblem(String path) {
        if (path == null || path.isEmpty()) {
            return "invalid reference format: repository name is empty";
        }
        if (path.length() > MAX_REPOSITORY_LENGTH) {
            return "repository name must not be more than " + MAX_REPOSITORY_LENGTH + " characters";
        }
        if (hasAsciiUppercase(path)) {
            return "invalid reference format: repository name (" + path + ") must be lowercase";
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                return "invalid reference format: invalid repository name (" + path + ")";
            }
        }
        return null;
    }

    public static boolean isValidTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }

    /**
     * True for a registry host: dot-separated DNS labels or a bracketed IPv6 address, each with an optional
     * {@code :port} of digits. Case is not changed or checked ({@code Registry.Example.com} is valid).
     * Like Docker's grammar this checks the form only: {@code [1:2:3:4:5:6:7:8:9]} and port 99999 pass.
     */
    public static boolean isValidHost(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String address = host;
        String port = null;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return false;
            }
            String after = host.substring(close + 1);
            if (!after.isEmpty()) {
                if (after.charAt(0) != ':') {
                    return false;
                }
                port = after.substring(1);
            }
            return IPV6_ADDRESS.matcher(host.substring(1, close)).matches() && (port == null || PORT.matcher(port).matches());
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            address = host.substring(0, colon);
            port = host.substring(colon + 1);
        }
        for (String label : address.split("\\.", -1)) {
            if (!DOMAIN_COMPONENT.matcher(label).matches()) {
                return false;
            }
        }
        return port == null || PORT.matcher(port).matches();
    }

    /**
     * True for a 64-digit lowercase hex string. Docker refuses a whole reference of this form because it could be an
     * image id; as one part of a longer reference ({@code library/<hex>}, {@code <hex>:tag}) it is a valid name.
     */
    public static boolean isHexIdentifier(String s) {
        return s != null && HEX64.matcher(s).matches();
    }

    /** Throws {@code NAME_INVALID} unless {@code path} is a valid repository path. */
    public static String requireRepository(String path) {
        String problem = repositoryProblem(path);
        if (problem != null) {
            throw new OciException(ErrorCode.NAME_INVALID, problem, Map.of("name", String.valueOf(path)));
        }
        return path;
    }

    /** Throws {@code TAG_INVALID} unless {@code tag} is a valid tag. */
    public static String requireTag(String tag) {
        if (!isValidTag(tag)) {
            throw new OciException(ErrorCode.TAG_INVALID, "invalid tag", Map.of("tag", String.valueOf(tag)));
        }
        return tag;
    }

    static boolean hasAsciiUppercase(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return true;
            }
        }
        return false;
    }
}
