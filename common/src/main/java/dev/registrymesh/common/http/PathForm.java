package dev.registrymesh.common.http;

/**
 * Whether a raw request path is in normal form: the form in which the path a proxy's rule sees is the path the
 * service acts on. Vert.x routes on {@code normalizedPath()}, which decodes percent-encoded unreserved characters,
 * resolves {@code .} and {@code ..} and collapses {@code //}; path parameters are then percent-decoded, so
 * {@code %2F} becomes a separator inside a name. A path that any of this would change is refused instead.
 */
public final class PathForm {
    private PathForm() {
    }

    /** Why {@code rawPath} (as received, not decoded) is not in normal form, or null when it is. */
    public static String problem(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return "the path must start with '/'";
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '\\') {
                return "a backslash in the path";
            }
            if (c == '%') {
                int value = i + 2 < rawPath.length() ? hexByte(rawPath.charAt(i + 1), rawPath.charAt(i + 2)) : -1;
                if (value < 0) {
                    return "malformed percent-encoding in the path";
                }
                if (value == '/' || value == '\\') {
                    return "an encoded path separator (" + rawPath.substring(i, i + 3) + ") in the path";
                }
                if (isUnreserved(value)) {
                    return "a percent-encoded '" + (char) value + "' (" + rawPath.substring(i, i + 3) + ") in the path";
                }
                i += 2;
            } else if (!isPathCharacter(c)) {
                return String.format("a character a path may not hold (U+%04X)", (int) c);
            }
        }
        return segmentsProblem(rawPath.substring(1), true);
    }

    /**
     * Why a decoded repository name from elsewhere than the path (the {@code from} of a cross-repository mount) is
     * not in normal form, or null: no empty segment, no {@code .} or {@code ..} segment, no backslash.
     */
    public static String nameProblem(String decodedName) {
        if (decodedName.indexOf('\\') >= 0) {
            return "a backslash in the name";
        }
        return segmentsProblem(decodedName, false);
    }

    /** Dot segments anywhere; empty segments anywhere but, in a path, the last (a trailing slash: {@code /v2/}). */
    private static String segmentsProblem(String segments, boolean trailingSlashAllowed) {
        String[] parts = segments.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty() && !(trailingSlashAllowed && i == parts.length - 1)) {
                return "an empty segment ('//', or a leading or trailing '/')";
            }
            if (part.equals(".") || part.equals("..")) {
                return "a '" + part + "' segment";
            }
        }
        return null;
    }

    /** RFC 3986 pchar or '/', percent-encodings aside: what a client must encode (spaces, controls, quotes, braces...). */
    private static boolean isPathCharacter(char c) {
        return isUnreserved(c) || c == '/' || c == ':' || c == '@' || "!$&'()*+,;=".indexOf(c) >= 0;
    }

    /** RFC 3986 unreserved: what Vert.x decodes while normalizing, so an encoded one is a second spelling. */
    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static int hexByte(char high, char low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        return h < 0 || l < 0 || high > 'f' || low > 'f' ? -1 : h * 16 + l;
    }
}
