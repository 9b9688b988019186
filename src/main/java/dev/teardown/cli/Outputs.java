package dev.teardown.cli;

import dev.teardown.report.CsvSink;
import dev.teardown.report.JsonSink;
import dev.teardown.report.RecordSink;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The per-connection outputs a command was asked for ({@code --csv}, {@code --json}; {@code -} is stdout),
 * opened together and closed together. With a table on stdout the summary goes to stderr.
 */
final class Outputs implements Closeable {
    private final List<RecordSink> sinks = new ArrayList<>();
    private final List<Writer> writers = new ArrayList<>();
    private final boolean stdoutTaken;

    private Outputs(boolean stdoutTaken) {
        this.stdoutTaken = stdoutTaken;
    }

    /**
     * Opens the outputs; {@code flushEachRow} for live capture. Throws a usage error when both want stdout,
     * and IOException (the file named) when a file cannot be created; nothing stays open then.
     */
    static Outputs open(CommandLine cmd, String csv, String json, boolean flushEachRow) throws IOException {
        if ("-".equals(csv) && "-".equals(json)) {
            throw new CommandLine.ParameterException(cmd, "--csv and --json cannot both write to stdout (-)");
        }
        Outputs o = new Outputs("-".equals(csv) || "-".equals(json));
        try {
            if (csv != null) o.sinks.add(new CsvSink(o.writer(cmd, csv), flushEachRow));
            if (json != null) o.sinks.add(new JsonSink(o.writer(cmd, json), flushEachRow));
        } catch (IOException | RuntimeException e) {
            o.close();
            throw e;
        }
        return o;
    }

    private Writer writer(CommandLine cmd, String target) throws IOException {
        Writer w;
        if ("-".equals(target)) {
            w = new FilterWriter(new BufferedWriter(cmd.getOut(), 1 << 16)) {
                @Override
                public void close() throws IOException {
                    flush(); // Never close stdout.
                }
            };
        } else {
            w = Files.newBufferedWriter(Path.of(target), StandardCharsets.UTF_8);
        }
        writers.add(w);
        return w;
    }

    /** The record sinks, in the order given: CSV, then JSON. */
    List<RecordSink> sinks() {
        return sinks;
    }

    /** Where the human summary goes: stderr when a table took stdout, else stdout. */
    PrintWriter summaryOut(CommandLine cmd) {
        return stdoutTaken ? cmd.getErr() : cmd.getOut();
    }

    /** Pushes what is written so far to its file or stdout (before an error is reported, say). */
    void flush() throws IOException {
        for (Writer w : writers) w.flush();
    }

    /** Flushes and closes every output (stdout is flushed, never closed); the first failure is thrown. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (RecordSink s : sinks) {
            try {
                s.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        for (Writer w : writers) {
            try {
                w.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        sinks.clear();
        writers.clear();
        if (first != null) throw first;
    }
}
