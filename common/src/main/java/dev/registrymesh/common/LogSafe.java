package dev.registrymesh.common;

/**
 * Makes text that callers control safe to put into a log line: control characters (CR and LF above all, which
 * would let a caller forge whole log lines) and other invisible characters are written as escapes, and very
 * long values are cut. Escaping is idempotent (a backslash is left as it is: it cannot break a line), so text
 * escaped here passes the log filter unchanged.
 */
public final class LogSafe {
    private static final int MAX_LENGTH = 256;

    private LogSafe() {
    }

    /** The value with control characters escaped, cut after 256 characters: for one value inside a message. */
    public static String escape(Object value) {
        if (value == null) {
            return "null";
        }
        String s = value.toString();
        String out = escape(s, Math.min(s.length(), MAX_LENGTH));
        return s.length() > MAX_LENGTH ? out + "...(" + s.length() + " chars)" : out;
    }

    /** A whole message with control characters escaped (nothing cut); the same string when it has none. */
    public static String escapeLine(String s) {
        return s == null ? null : escape(s, s.length());
    }

    private static String escape(String s, int end) {
        StringBuilder b = null;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            boolean unsafe = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
            if (unsafe && b == null) {
                b = new StringBuilder(end + 16).append(s, 0, i);
            }
            if (b != null) {
                if (!unsafe) {
                    b.append(c);
                } else if (c == '\n') {
                    b.append("\\n");
                } else if (c == '\r') {
                    b.append("\\r");
                } else if (c == '\t') {
                    b.append("\\t");
                } else {
                    b.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return b == null ? s.substring(0, end) : b.toString();
    }
}
