package dev.teardown.report;

import java.io.Writer;

/** Writes the flow-summary CSV: a header row, then one row per connection as it is handed on. */
public final class CsvSink extends LineSink {
    private static final Column[] COLUMNS = Column.values();
    private final StringBuilder line = new StringBuilder(256);

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
        line.setLength(0);
        Column[] cols = COLUMNS;
        for (int i = 0; i < cols.length; i++) {
            if (i > 0) line.append(',');
            if (cols[i].untrusted()) line.append(Safe.csvCell(cols[i].value(r)));
            else cols[i].append(r, line);
        }
        write();
    }

    private void write() {
        line.append('\n');
        writeLine(line);
    }
}
