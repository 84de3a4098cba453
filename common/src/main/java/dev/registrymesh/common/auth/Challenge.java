package dev.registrymesh.common.auth;

import dev.registrymesh.common.ErrorBody;
import dev.registrymesh.common.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The 401 answer of the token protocol: the {@code WWW-Authenticate: Bearer ...} header and the spec's body. */
public record Challenge(String realm, String service, List<Access> scope, String error, String message) {
    public static final String INVALID_TOKEN = "invalid_token";
    public static final String INSUFFICIENT_SCOPE = "insufficient_scope";

    public String header() {
        StringBuilder b = new StringBuilder("Bearer realm=\"").append(quoted(realm)).append("\",service=\"")
                .append(quoted(service)).append('"');
        if (!scope.isEmpty()) {
            b.append(",scope=\"").append(quoted(Scopes.join(scope))).append('"');
        }
        if (error != null) {
            b.append(",error=\"").append(error).append('"');
        }
        return b.toString();
    }

    /** {@code UNAUTHORIZED} with the needed access as detail, in Distribution's shape. */
    public String body() {
        List<Map<String, String>> detail = new ArrayList<>();
        for (Access a : scope) {
            for (String action : a.actions()) {
                Map<String, String> d = new LinkedHashMap<>();
                d.put("type", a.type());
                d.put("name", a.name());
                d.put("action", action);
                detail.add(d);
            }
        }
        return ErrorBody.of(ErrorCode.UNAUTHORIZED, message, detail.isEmpty() ? null : detail).toJson();
    }

    /** Header values come partly from the request (Host): keep them from breaking out of the quotes. */
    private static String quoted(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (char c : v.toCharArray()) {
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
