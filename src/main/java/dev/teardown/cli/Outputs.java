package dev.teardown.cli;

import dev.teardown.report.CsvSink;
import dev.teardown.report.FlowRecord;
import dev.teardown.report.JsonSink;
import dev.teardown.report.RecordSink;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The per-connection outputs a command was asked for ({@code --csv}, {@code --json}; {@code -} is stdout),
 * opened together and closed together. With a table on stdout the summary goes to stderr.
 *
 * <p>A write that fails (a full disk, a closed pipe) does not stop the analysis: that output takes nothing
 * more, the others and the summary go on, and {@link #failure()} names it for the one-line error.
 */
final class Outputs implements Closeable {
    static final String STDOUT = "standard output";

    /** Opening an output failed; the message names it and says why, ready for the one-line error. */
    static final class OpenFailure extends IOException {
        OpenFailure(String message) {
            super(message);
        }
    }

    private final List<RecordSink> sinks = new ArrayList<>();
    private final List<Writer> writers = new ArrayList<>();
    private final List<String> targets = new ArrayList<>();
    private final boolean stdoutTaken;
    private String failure;

    private Outputs(boolean stdoutTaken) {
        this.stdoutTaken = stdoutTaken;
    }

    /**
     * Opens the outputs; {@code flushEachRow} for live capture. Throws a usage error when both want stdout,
     * and {@link OpenFailure} when a file cannot be created; nothing stays open then.
     */
    static Outputs open(CommandLine cmd, OutputOptions options, boolean flushEachRow) throws OpenFailure {
        checkUsage(cmd, options);
        String csv = options.csv;
        String json = options.json;
        Outputs o = new Outputs("-".equals(csv) || "-".equals(json));
        try {
            if (csv != null) o.sinks.add(o.new Guarded(csv, new CsvSink(o.writer(cmd, csv), flushEachRow)));
            if (json != null) o.sinks.add(o.new Guarded(json, new JsonSink(o.writer(cmd, json), flushEachRow)));
        } catch (IOException | UncheckedIOException e) {
            o.close();
            String target = o.targets.get(o.targets.size() - 1);
            throw new OpenFailure(describe(target, e instanceof UncheckedIOException u ? u.getCause() : (IOException) e));
        }
        return o;
    }

    /** Rejects outputs that cannot go together (a usage error, exit 2), before anything is opened. */
    static void checkUsage(CommandLine cmd, OutputOptions options) {
        if ("-".equals(options.csv) && "-".equals(options.json)) {
            throw new CommandLine.ParameterException(cmd, "--csv and --json cannot both write to stdout (-)");
        }
    }

    /** One line for a failed file operation on {@code target}: the name, then the reason without Java's words. */
    static String describe(String target, IOException e) {
        if (e instanceof NoSuchFileException) return target + ": no such file or directory";
        if (e instanceof AccessDeniedException) return target + ": permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return target + ": " + f.getReason();
        return target + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    private Writer writer(CommandLine cmd, String target) throws IOException {
        boolean stdout = "-".equals(target);
        targets.add(stdout ? STDOUT : target);
        Writer w;
        if (stdout) {
            PrintWriter console = cmd.getOut();
            w = new FilterWriter(new BufferedWriter(console, 1 << 16)) {
                @Override
                public void flush() throws IOException {
                    super.flush();
                    // PrintWriter and System.out's PrintStream keep errors to themselves; a reader that went
                    // away (| head) must still stop us. (picocli's writer may wrap System.out without telling.)
                    if (console.checkError() || System.out.checkError()) {
                        throw new IOException("closed (the reading end of the pipe went away?)");
                    }
                }

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

    /** Whether a record output writes to stdout (then the summary, and any terminal status, stay off it). */
    boolean stdoutTaken() {
        return stdoutTaken;
    }

    /** Where the human summary goes: stderr when a table took stdout, else stdout. */
    PrintWriter summaryOut(CommandLine cmd) {
        return stdoutTaken ? cmd.getErr() : cmd.getOut();
    }

    /** The first output that could not be written, as a one-line message, or null. */
    String failure() {
        return failure;
    }

    /** Pushes what is written so far to its file or stdout; a failure is recorded, not thrown. */
    void flush() {
        for (int i = 0; i < writers.size(); i++) {
            try {
                writers.get(i).flush();
            } catch (IOException e) {
                failed(targets.get(i), e);
            }
        }
    }

    /** Flushes and closes every output (stdout is flushed, never closed); a failure is recorded, not thrown. */
    @Override
    public void close() {
        flush();
        for (int i = 0; i < writers.size(); i++) {
            try {
                writers.get(i).close();
            } catch (IOException e) {
                failed(targets.get(i), e);
            }
        }
        sinks.clear();
        writers.clear();
    }

    private void failed(String target, IOException e) {
        if (failure == null) failure = "writing " + describe(target, e);
    }

    /** A sink that stops taking records after its first failed write, and records the failure. */
    private final class Guarded implements RecordSink {
        private final String target;
        private final RecordSink sink;
        private boolean broken;

        Guarded(String target, RecordSink sink) {
            this.target = "-".equals(target) ? STDOUT : target;
            this.sink = sink;
        }

        @Override
        public void accept(FlowRecord r) {
            if (broken) return;
            try {
                sink.accept(r);
            } catch (UncheckedIOException e) {
                broken = true;
                failed(target, e.getCause());
            }
        }
    }
}
