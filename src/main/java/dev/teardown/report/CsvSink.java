package dev.teardown.report;

import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Writes the flow-summary CSV: a header row, then one row per connection as it is handed on. Text from the
 * wire goes through {@link Safe#csvCell}: controls escaped, formulas defused, quoted when needed (RFC 4180).
 */
public final class CsvSink extends LineSink {
    private static final Column[] COLUMNS = Column.values();
    private final ByteLine line = new ByteLine();
    private final Cell cell = new Cell();
    private final IsoTimes times = new IsoTimes();
    /**
     * Per column, the last text and its cell's bytes: most rows repeat the same String (a label, an address, a
     * version, a file name, a Connection token kept by the HTTP stage), so the escaping, quoting and encoding run
     * once per new value.
     */
    private final String[] lastText = new String[COLUMNS.length];
    private final byte[][] lastCell = new byte[COLUMNS.length][];

    /** @param flushEachRow flush after every row (live capture, so {@code tail -f} shows rows at once) */
    public CsvSink(Writer out, boolean flushEachRow) {
        super(out, flushEachRow);
        Column[] cols = COLUMNS;
        for (int i = 0; i < cols.length; i++) {
            if (i > 0) line.append(',');
            line.append(cols[i].header());
        }
        write();
    }

    @Override
    public void accept(FlowRecord r) {
        line.clear();
        Column[] cols = COLUMNS;
        for (int i = 0; i < cols.length; i++) {
            if (i > 0) line.append(',');
            cell.column = i;
            cols[i].write(r, cell);
        }
        write();
    }

    private void write() {
        line.append('\n');
        writeLine(line);
    }

    /** One cell's text, appended to the line. */
    private final class Cell implements ValueWriter {
        private boolean firstItem;
        /** The column being written, for {@link #lastText}. */
        int column;

        @Override public void absent() { }

        @Override public void integer(long value) { line.append(value); }

        @Override public void seconds(long nanos) { line.appendSeconds(nanos); }

        @Override public void time(long epochNanos) { times.append(line, epochNanos); }

        @Override
        public void label(String value) {
            if (value != lastText[column]) { // the same String object: the same cell
                lastCell[column] = value.getBytes(StandardCharsets.UTF_8);
                lastText[column] = value;
            }
            line.append(lastCell[column]);
        }

        @Override
        public void untrusted(String value) {
            if (value != lastText[column]) {
                lastCell[column] = Safe.csvCell(value).getBytes(StandardCharsets.UTF_8);
                lastText[column] = value;
            }
            line.append(lastCell[column]);
        }

        @Override public void bool(boolean value) { line.append(value); }

        @Override public void listStart() { firstItem = true; }

        @Override
        public void item(String name) {
            if (!firstItem) line.append(';');
            line.append(name);
            firstItem = false;
        }

        @Override public void listEnd() { }
    }
}
