package dev.teardown.timewait;

import dev.teardown.report.Times;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.function.Consumer;

/**
 * Writes the timeline CSV: a header, then one row per instant and server endpoint (docs/output.md). A write that
 * fails throws {@link UncheckedIOException}.
 */
public final class TimelineCsv implements Consumer<TimelineRow> {
    private static final Count[] COUNTS = Count.values();
    private final Writer out;
    private final boolean flushEachRow;
    private final StringBuilder line = new StringBuilder(128);

    /** @param flushEachRow flush after every row (live capture, so {@code tail -f} shows rows at once) */
    public TimelineCsv(Writer out, boolean flushEachRow) {
        this.out = out;
        this.flushEachRow = flushEachRow;
        line.append("time,server_ip,server_port");
        for (Count c : COUNTS) line.append(',').append(c.header());
        line.append(",partial");
        write();
    }

    @Override
    public void accept(TimelineRow r) {
        line.setLength(0);
        Times.appendIso(line, r.timeNanos());
        // Addresses are formatted from their bytes (digits, hex, ':' and '.'): nothing to quote.
        line.append(',').append(r.serverIp()).append(',').append(r.serverPort());
        for (Count c : COUNTS) line.append(',').append(r.count(c));
        line.append(',').append(r.partial());
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
}
