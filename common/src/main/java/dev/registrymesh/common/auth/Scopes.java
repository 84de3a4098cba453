package dev.registrymesh.common.auth;

import dev.registrymesh.common.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The scope grammar of the Docker token specification: {@code type[(class)]:name:action[,action...]}.
 * A repository name may start with one {@code host:port}, so the string is split at its first colon (the
 * type never holds one) and at its last colon (actions never hold one); everything between is the name.
 */
public final class Scopes {
    /** Resource type with an optional class, e.g. {@code repository(plugin)}. */
    private static final Pattern TYPE = Pattern.compile("[a-z0-9]+(?:\\([a-z0-9]+\\))?");
    private static final Pattern ACTION = Pattern.compile("[a-z]+|\\*");
    /** A registry host as the reference grammar allows it: domain components or a bracketed IPv6, optional port. */
    private static final Pattern HOST = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]+)?");
    private static final Pattern RESOURCE_NAME = Pattern.compile("[a-z0-9]+(?:[._:/-][a-z0-9]+)*|\\*");

    private Scopes() {
    }

    /** Parses one scope. Throws {@link ScopeSyntaxException} for anything that does not follow the grammar. */
    public static Access parse(String scope) {
        if (scope == null || scope.isEmpty() || scope.length() > 1024) {
            throw new ScopeSyntaxException("empty or overlong scope");
        }
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first <= 0 || last == first || last == scope.length() - 1) {
            throw new ScopeSyntaxException("scope must be type:name:actions: " + scope);
        }
        String type = scope.substring(0, first);
        String name = scope.substring(first + 1, last);
        String actionList = scope.substring(last + 1);
        if (!TYPE.matcher(type).matches()) {
            throw new ScopeSyntaxException("invalid resource type: " + type);
        }
        List<String> actions = Arrays.asList(actionList.split(",", -1));
        for (String action : actions) {
            if (!ACTION.matcher(action).matches()) {
                throw new ScopeSyntaxException("invalid action '" + action + "' in scope " + scope);
            }
        }
        String baseType = type.contains("(") ? type.substring(0, type.indexOf('(')) : type;
        if (baseType.equals(Access.REPOSITORY)) {
            if (!isValidRepositoryName(name)) {
                throw new ScopeSyntaxException("invalid repository name in scope: " + name);
            }
        } else if (!RESOURCE_NAME.matcher(name).matches()) {
            throw new ScopeSyntaxException("invalid resource name in scope: " + name);
        }
        return new Access(type, name, actions);
    }

    /**
     * Parses scope parameters: each may itself hold several scopes separated by spaces (the OAuth2 form and
     * some clients), and entries for the same resource are merged.
     */
    public static List<Access> parseAll(Collection<String> params) {
        List<Access> out = new ArrayList<>();
        if (params == null) {
            return out;
        }
        for (String param : params) {
            if (param == null) {
                continue;
            }
            for (String s : param.trim().split("\\s+")) {
                if (!s.isEmpty()) {
                    out.add(parse(s));
                }
            }
        }
        return Access.merge(out);
    }

    /** A repository path, optionally after one registry {@code host[:port]} (only a host holds ':', '.' or uppercase). */
    public static boolean isValidRepositoryName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        int slash = name.indexOf('/');
        if (slash > 0) {
            String head = name.substring(0, slash);
            boolean isHost = head.contains(":") || head.contains(".") || head.equals("localhost")
                    || !head.equals(head.toLowerCase(java.util.Locale.ROOT));
            if (isHost) {
                return HOST.matcher(head).matches() && Names.isValidRepository(name.substring(slash + 1));
            }
        }
        return Names.isValidRepository(name);
    }

    /** Joins entries as the space-separated {@code scope} value of an OAuth2 answer or a challenge. */
    public static String join(Collection<Access> entries) {
        return String.join(" ", entries.stream().map(Access::toScope).toList());
    }
}
