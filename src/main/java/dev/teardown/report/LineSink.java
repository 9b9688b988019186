package dev.teardown.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/** A record sink that writes one text line per record, flushed per line when a live capture asks for it. */
abstract class LineSink implements RecordSink {
    private final Writer out;
    private final boolean flushEachLine;

    /** @param flushEachLine flush after every line (live capture, so {@code tail -f} shows it at once) */
    LineSink(Writer out, boolean flushEachLine) {
        this.out = out;
        this.flushEachLine = flushEachLine;
    }

    /** Writes {@code line}, which ends with its newline. */
    final void writeLine(CharSequence line) {
        try {
            out.append(line);
            if (flushEachLine) out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code line}, which ends with its newline: as bytes when the writer takes them. */
    final void writeLine(ByteLine line) {
        try {
            if (out instanceof Utf8Bytes bytes) bytes.writeUtf8(line.bytes(), 0, line.length());
            else out.write(line.toString());
            if (flushEachLine) out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
