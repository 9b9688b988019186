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
    private final Value value = new Value();
    private final IsoTimes times = new IsoTimes();

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
            cols[i].write(r, value);
        }
        line.append("}\n");
        writeLine(line);
    }

    /** One member's value, typed, appended to the line. */
    private final class Value implements ValueWriter {
        private boolean firstItem;

        @Override public void absent() { line.append("null"); }

        @Override public void integer(long v) { line.append(v); }

        @Override public void seconds(long nanos) { Times.appendSeconds(line, nanos); }

        @Override
        public void time(long epochNanos) {
            line.append('"');
            times.append(line, epochNanos);
            line.append('"');
        }

        @Override
        public void label(String v) {
            if (v.isEmpty()) absent();
            else appendString(line, v, 0, v.length());
        }

        @Override
        public void untrusted(String v) {
            label(v); // every string is escaped below, controls included
        }

        @Override public void bool(boolean v) { line.append(v); }

        @Override
        public void listStart() {
            line.append('[');
            firstItem = true;
        }

        @Override
        public void item(String name) {
            if (!firstItem) line.append(',');
            appendString(line, name, 0, name.length());
            firstItem = false;
        }

        @Override public void listEnd() { line.append(']'); }
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
}
