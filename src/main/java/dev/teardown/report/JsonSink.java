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
    /** Per column, {@code "name":} as bytes (or {@code ,"name":}), made once. */
    private static final byte[][] NAMES = new byte[COLUMNS.length][];
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private final ByteLine line = new ByteLine();
    private final Value value = new Value();
    private final IsoTimes times = new IsoTimes();
    /** Each column's last string literal, as bytes (see {@link CellCache}). */
    private final CellCache cells = new CellCache(COLUMNS.length);
    private final StringBuilder scratch = new StringBuilder(64);
    /** {@link #literal}, made once: a method reference to an instance is an object each time it is evaluated. */
    private final java.util.function.Function<String, byte[]> literal = this::literal;

    static {
        for (int i = 0; i < COLUMNS.length; i++) {
            StringBuilder b = new StringBuilder();
            if (i > 0) b.append(',');
            NAMES[i] = b.append('"').append(COLUMNS[i].header()).append("\":").toString()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** @param flushEachRow flush after every object (live capture, so {@code tail -f} shows it at once) */
    public JsonSink(Writer out, boolean flushEachRow) {
        super(out, flushEachRow);
    }

    @Override
    public void accept(FlowRecord r) {
        line.clear();
        line.append('{');
        Column[] cols = COLUMNS;
        for (int i = 0; i < cols.length; i++) {
            line.append(NAMES[i]);
            value.column = i;
            cols[i].write(r, value);
        }
        line.append('}').append('\n');
        writeLine(line);
    }

    /** One member's value, typed, appended to the line. */
    private final class Value implements ValueWriter {
        private boolean firstItem;
        /** The column being written, for {@link #cells}. */
        int column;

        @Override public void absent() { line.append(NULL); }

        @Override public void integer(long v) { line.append(v); }

        @Override public void seconds(long nanos) { line.appendSeconds(nanos); }

        @Override
        public void time(long epochNanos) {
            line.append('"');
            times.append(line, epochNanos);
            line.append('"');
        }

        @Override
        public void label(String v) {
            if (v.isEmpty()) {
                absent();
                return;
            }
            line.append(cells.of(column, v, literal));
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
            line.append(literal(name));
            firstItem = false;
        }

        @Override public void listEnd() { line.append(']'); }
    }

    /** {@code s} as a JSON string literal's UTF-8 bytes. */
    private byte[] literal(String s) {
        scratch.setLength(0);
        appendString(scratch, s, 0, s.length());
        return scratch.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
