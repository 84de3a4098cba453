package dev.registrymesh.common.auth;

import dev.registrymesh.common.RepositoryName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The scope grammar of the Docker token specification: {@code type[(class)]:name:action[,action...]}.
 * The string is split at its first colon (the type never holds one) and at its last colon (actions never hold
 * one); everything between is the name. A repository scope names a {@link RepositoryName}: a path of this
 * registry, never a reference with a registry host, so what is asked for is exactly what gets signed.
 */
public final class Scopes {
    /** Resource type with an optional class, e.g. {@code repository(plugin)}. */
    private static final Pattern TYPE = Pattern.compile("[a-z0-9]+(?:\\([a-z0-9]+\\))?");
    private static final Pattern ACTION = Pattern.compile("[a-z]+|\\*");
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
            if (!RepositoryName.isValid(name)) {
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

    /** Joins entries as the space-separated {@code scope} value of an OAuth2 answer or a challenge. */
    public static String join(Collection<Access> entries) {
        return String.join(" ", entries.stream().map(Access::toScope).toList());
    }
}
