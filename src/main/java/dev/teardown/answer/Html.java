package dev.teardown.answer;

import dev.teardown.report.Safe;

/**
 * Escapes text for the HTML report: every string that reaches the page (from the capture, the command line, or
 * teardown's own words) goes through {@link #text}, so a header value, an address or a file name cannot open a
 * tag, an attribute or an entity. Control characters are first made visible as {@link Safe#text} does; then the
 * five characters that mean something to HTML and XML ({@code & < > " '}) become character references, which is
 * enough in element content and in double-quoted attribute values, the only places the report puts text
 * (OWASP XSS Prevention Cheat Sheet, rules 1 and 2).
 */
final class Html {
    private Html() {}

    /** {@code s} safe as element content and as a double-quoted attribute value. */
    static String text(String s) {
        String t = Safe.text(s);
        StringBuilder b = null;
        for (int i = 0; i < t.length(); i++) {
            String ref = switch (t.charAt(i)) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (ref == null) {
                if (b != null) b.append(t.charAt(i));
                continue;
            }
            if (b == null) b = new StringBuilder(t.length() + 16).append(t, 0, i);
            b.append(ref);
        }
        return b == null ? t : b.toString();
    }
}
