package dev.registrymesh.common;

import java.util.regex.Pattern;

/**
 * The grammar of repository names and tags (the distribution reference grammar). {@link ImageReference}
 * parses whole references; services that get a name and a tag separately (URL paths) check them here.
 */
public final class Names {
    /** One path component: lowercase alphanumerics joined by one '.', one or two '_', or any run of '-'. */
    public static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    public static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    /** The longest repository path (without the registry host) that a registry accepts. */
    public static final int MAX_REPOSITORY_LENGTH = 255;

    private Names() {
    }

    /** True for a repository path such as {@code library/ubuntu}: components, '/'-separated, 255 chars at most. */
    public static boolean isValidRepository(String path) {
        if (path == null || path.isEmpty() || path.length() > MAX_REPOSITORY_LENGTH) {
            return false;
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                return false;
            }
        }
        return true;
    }

    public static boolean isValidTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }

    /** Throws {@code NAME_INVALID} unless {@code path} is a valid repository path. */
    public static String requireRepository(String path) {
        if (!isValidRepository(path)) {
            throw new OciException(ErrorCode.NAME_INVALID, "invalid repository name", java.util.Map.of("name", String.valueOf(path)));
        }
        return path;
    }

    /** Throws {@code TAG_INVALID} unless {@code tag} is a valid tag. */
    public static String requireTag(String tag) {
        if (!isValidTag(tag)) {
            throw new OciException(ErrorCode.TAG_INVALID, "invalid tag", java.util.Map.of("tag", String.valueOf(tag)));
        }
        return tag;
    }
}
