package dev.teardown.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/** Writes the flow-summary CSV: a header row, then one row per connection as it is handed on. */
public final class CsvSink implements RecordSink {
    private static final Column[] COLUMNS = Column.values();
    private final Writer out;
    private final StringBuilder line = new StringBuilder(256);
    private final boolean flushEachRow;

    /** @param flushEachRow flush after every row (live capture, so {@code tail -f} shows rows at once) */
    public CsvSink(Writer out, boolean flushEachRow) {
        this.out = out;
        this.flushEachRow = flushEachRow;
        line.setLength(0);
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
        try {
            out.append(line);
            if (flushEachRow) out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
