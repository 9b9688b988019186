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
    /** Each column's last label or cell, as bytes (see {@link CellCache}). */
    private final CellCache cells = new CellCache(COLUMNS.length);

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

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Text from the wire as its CSV cell: {@link Safe#csvCell}, as bytes. */
    private static byte[] escaped(String s) {
        return utf8(Safe.csvCell(s));
    }

    private void write() {
        line.append('\n');
        writeLine(line);
    }

    /** One cell's text, appended to the line. */
    private final class Cell implements ValueWriter {
        private boolean firstItem;
        /** The column being written, for {@link #cells}. */
        int column;

        @Override public void absent() { }

        @Override public void integer(long value) { line.append(value); }

        @Override public void seconds(long nanos) { line.appendSeconds(nanos); }

        @Override public void time(long epochNanos) { times.append(line, epochNanos); }

        @Override public void label(String value) { line.append(cells.of(column, value, CsvSink::utf8)); }

        @Override public void untrusted(String value) { line.append(cells.of(column, value, CsvSink::escaped)); }

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
