package dev.teardown.report;

/**
 * Neutralises untrusted text before it reaches an output: control characters (terminal escapes among
 * them) become {@code \xNN}, and a CSV cell that could start a spreadsheet formula is prefixed with a quote.
 */
public final class Safe {
    private Safe() {}

    /** Replaces C0 and C1 controls and DEL with visible {@code \xNN} escapes. */
    public static String text(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && !isControl(s.charAt(i))) i++;
        if (i == n) return s;
        StringBuilder b = new StringBuilder(n + 8).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (isControl(c)) b.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }

    /**
     * One CSV cell (RFC 4180): controls escaped, a leading {@code = + - @} (a formula to spreadsheets,
     * OWASP CSV injection) prefixed with {@code '}, and quoted when it holds a comma, quote or space.
     */
    public static String csvCell(String s) {
        String t = text(s);
        if (!t.isEmpty() && "=+-@".indexOf(t.charAt(0)) >= 0 && !isNumber(t)) t = "'" + t;
        boolean quote = false;
        for (int i = 0; i < t.length() && !quote; i++) {
            char c = t.charAt(i);
            quote = c == ',' || c == '"' || c == ' ';
        }
        return quote ? '"' + t.replace("\"", "\"\"") + '"' : t;
    }

    /** A plain decimal like {@code -1.5}: harmless to spreadsheets, so left as it is. */
    private static boolean isNumber(String t) {
        int i = t.charAt(0) == '-' ? 1 : 0;
        boolean digits = false;
        boolean dot = false;
        for (; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9') digits = true;
            else if (c == '.' && !dot) dot = true;
            else return false;
        }
        return digits;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0);
    }
}
