package dev.teardown.cli;

import dev.teardown.capture.Strftime;
import dev.teardown.report.FlowRecord;
import dev.teardown.report.RecordSink;
import dev.teardown.report.Utf8Writer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * {@code live --rotate SECONDS}: a record output ({@code --csv}, {@code --json}) written to a new file for every
 * SECONDS of packet time, so a capture that runs for weeks leaves files of bounded size. A row goes to the file of the
 * span that holds the packet time at which it is written (the pipeline's clock), each file complete in itself (a CSV
 * file has its header). Files are named by the output's strftime conversions ({@link Strftime}, UTC) at the start of
 * the span, or, without any, with {@code -YYYYMMDDTHHMMSSZ} before the extension ({@code flows.csv} gives {@code
 * flows-20261124T110000Z.csv}). A span without rows has no file. Packet time, never the wall clock: the same capture
 * gives the same files.
 */
final class RotatingSink implements RecordSink {
    private final SpanFiles writer;
    private final LongSupplier clock;
    private final Function<Writer, RecordSink> format;
    private RecordSink sink;

    /**
     * Rows of {@code format} (a CSV or JSON Lines sink over a writer) into {@code files}, rolled by {@code clock},
     * the pipeline's packet time in nanoseconds.
     */
    RotatingSink(SpanFiles files, LongSupplier clock, Function<Writer, RecordSink> format) {
        this.writer = files;
        this.clock = clock;
        this.format = format;
    }

    @Override
    public void accept(FlowRecord r) {
        try {
            if (writer.roll(clock.getAsLong())) sink = format.apply(writer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sink.accept(r);
    }

    /** The file name for the span starting at {@code epochSeconds}. */
    static String name(String pattern, long epochSeconds) {
        if (Strftime.hasTime(pattern)) return Strftime.format(pattern, epochSeconds);
        Path p = Path.of(pattern);
        String file = p.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stamped = (dot <= 0 ? file : file.substring(0, dot)) + Strftime.format("-%Y%m%dT%H%M%SZ", epochSeconds)
            + (dot <= 0 ? "" : file.substring(dot));
        return p.resolveSibling(stamped).toString();
    }

    /** The writer under the sink: the current span's file; flushed and closed as one output. */
    static final class SpanFiles extends Writer {
        private final String pattern;
        private final long seconds;
        private Writer current;
        private long span = Long.MIN_VALUE;

        /** Files named from {@code pattern}, one per {@code seconds} of packet time. */
        SpanFiles(String pattern, long seconds) {
            this.pattern = pattern;
            this.seconds = seconds;
        }

        /**
         * Moves to the file of the span holding {@code nowNanos} if that is a later span (a time going back stays in
         * the current file): true when a new file was opened.
         */
        boolean roll(long nowNanos) throws IOException {
            long s = Math.floorDiv(Math.floorDiv(nowNanos, 1_000_000_000L), seconds);
            if (current != null && s <= span) return false;
            close();
            span = s;
            current = new Utf8Writer(Files.newOutputStream(Path.of(name(pattern, s * seconds))));
            return true;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            current.write(buf, off, len);
        }

        @Override
        public void write(String str, int off, int len) throws IOException {
            current.write(str, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (current != null) current.flush();
        }

        @Override
        public void close() throws IOException {
            if (current != null) current.close();
            current = null;
        }
    }
}
