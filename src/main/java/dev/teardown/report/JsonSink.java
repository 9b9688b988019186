package dev.teardown.report;

import java.io.Writer;

/**
 * Writes one JSON object per connection, one per line (JSON Lines): the CSV's columns under the same names,
 * with numbers, booleans and the anomaly list typed, and null for "not applicable".
 *
 * <p>Strings are escaped per RFC 8259 section 7, and every control character (C0, DEL and C1, terminal
 * escapes among them) as {@code \\u00XX} too, so header text from the wire stays inert in a terminal.
 */
public final class JsonSink extends LineSink {
    private static final Column[] COLUMNS = Column.values();
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final StringBuilder line = new StringBuilder(512);
    private final StringBuilder value = new StringBuilder(64);

    /** @param flushEachRow flush after every object (live capture, so {@code tail -f} shows it at once) */
    public JsonSink(Writer out, boolean flushEachRow) {
        super(out, flushEachRow);
    }

    @Override
    public void accept(FlowRecord r) {
        line.setLength(0);
        line.append('{');
        Column[] cols = COLUMNS;
        for (int i = 0; i < cols.length; i++) {
            if (i > 0) line.append(',');
            line.append('"').append(cols[i].header()).append("\":");
            value.setLength(0);
            cols[i].append(r, value);
            appendValue(line, cols[i].kind(), value);
        }
        line.append("}\n");
        writeLine(line);
    }

    static void appendValue(StringBuilder b, Column.Kind kind, CharSequence text) {
        switch (kind) {
            case STRING -> {
                if (text.isEmpty()) b.append("null");
                else appendString(b, text, 0, text.length());
            }
            case NUMBER -> {
                if (text.isEmpty()) b.append("null");
                else if (isJsonNumber(text)) b.append(text);
                else appendString(b, text, 0, text.length());
            }
            case BOOLEAN -> b.append(text.isEmpty() ? "null" : "true".contentEquals(text) ? "true" : "false");
            case LIST -> {
                b.append('[');
                int start = 0;
                for (int i = 0; i <= text.length(); i++) {
                    if (i == text.length() || text.charAt(i) == ';') {
                        if (i > start) {
                            if (b.charAt(b.length() - 1) != '[') b.append(',');
                            appendString(b, text, start, i);
                        }
                        start = i + 1;
                    }
                }
                b.append(']');
            }
        }
    }

    /** A JSON string literal (RFC 8259 section 7), with all controls and the JavaScript line separators escaped. */
    static void appendString(StringBuilder b, CharSequence s, int from, int to) {
        b.append('"');
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                        b.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15])
                            .append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** RFC 8259 section 6 number grammar, without exponents (teardown writes none). */
    private static boolean isJsonNumber(CharSequence t) {
        int i = 0;
        int n = t.length();
        if (t.charAt(0) == '-') i++;
        if (i == n) return false;
        if (t.charAt(i) == '0') i++;
        else if (t.charAt(i) >= '1' && t.charAt(i) <= '9') while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') i++;
        else return false;
        if (i < n && t.charAt(i) == '.') {
            int digits = ++i;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') i++;
            if (i == digits) return false;
        }
        return i == n;
    }
}
