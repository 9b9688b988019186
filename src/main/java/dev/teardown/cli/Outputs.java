package dev.teardown.cli;

import dev.teardown.report.CsvSink;
import dev.teardown.report.FlowRecord;
import dev.teardown.report.JsonSink;
import dev.teardown.report.ZeekConnSink;
import dev.teardown.report.RecordSink;
import dev.teardown.report.Utf8Writer;
import dev.teardown.timewait.TimeWaitOptions;
import dev.teardown.timewait.TimeWaitStage;
import dev.teardown.timewait.TimelineCsv;
import dev.teardown.timewait.TimelineRow;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * The outputs a command was asked for ({@code --csv}, {@code --json}, {@code --zeek-conn}, {@code --timeline},
 * {@code --summary-json}, {@code --html}; {@code -} is stdout), opened together and closed together. With a table on
 * stdout the summary goes to stderr.
 *
 * <p>A write that fails (a full disk, a closed pipe) does not stop the analysis: that output takes nothing
 * more, the others and the summary go on, and {@link #failure()} names it for the one-line error.
 *
 * <p>{@code analyze} writes each file output to a temporary file renamed over the target by {@link #close()}
 * (see {@link OutputFile}): the target never holds half a run, and an input named as an output would not be
 * destroyed even if {@link #checkUsage} had let it through. {@code live} writes its files in place, row by row,
 * so that {@code tail -f} follows them; but the HTML page, written once when the capture stops, goes through a
 * temporary file in both commands, so a browser never opens half a page.
 */
final class Outputs implements Closeable {
    static final String STDOUT = "standard output";

    /** Opening an output failed; the message names it and says why, ready for the one-line error. */
    static final class OpenFailure extends IOException {
        OpenFailure(String message) {
            super(message);
        }
    }


    /** One opened output: its sink, the writer under it, and its file (null for stdout). */
    private static final class Output {
        final String label;
        final OutputFile file;
        final Writer writer;
        boolean broken;

        Output(String label, OutputFile file, Writer writer) {
            this.label = label;
            this.file = file;
            this.writer = writer;
        }
    }

    private final List<RecordSink> sinks = new ArrayList<>();
    private final List<Output> outputs = new ArrayList<>();
    /** The files being written through a temporary file; read by other threads (a signal, a shutdown hook). */
    private final List<OutputFile> files = new CopyOnWriteArrayList<>();
    private final boolean stdoutTaken;
    /** The timeline's rows (--timeline), guarded like the sinks; null when not asked for. */
    private Consumer<TimelineRow> timelineRows;
    private long timelineStepNanos;
    /** The summary JSON output (--summary-json), or null. */
    private Output summaryJson;
    /** The HTML report (--html), or null; its page is written at {@link #close()} from the reports of every run. */
    private Output html;
    private final HtmlPage htmlPage = new HtmlPage();
    /** Set on the thread writing rows (the merger's, with several threads), read on the capture thread: volatile. */
    private volatile String failure;
    /** Deletes temporary files if the JVM exits before {@link #close()} (SIGHUP, an uncaught error). */
    private Thread cleanup;

    private Outputs(boolean stdoutTaken) {
        this.stdoutTaken = stdoutTaken;
    }

    /**
     * Opens the outputs, checked by {@link #checkUsage} first; {@code live} flushes each row and writes files
     * in place, else files are replaced at {@link #close()}. Throws {@link OpenFailure} when a file cannot be
     * created; nothing stays open then, and no temporary file is left.
     */
    static Outputs open(CommandLine cmd, OutputOptions options, boolean live) throws OpenFailure {
        return open(cmd, options, live, null);
    }

    /**
     * Record outputs rotated by packet time ({@code live --rotate}): a new file each {@code seconds} of {@code clock}.
     */
    record Rotation(long seconds, java.util.function.LongSupplier clock) {}

    /** The same, the {@code --csv} and {@code --json} files rotated as {@code rotation} says, unless it is null. */
    static Outputs open(CommandLine cmd, OutputOptions options, boolean live, Rotation rotation) throws OpenFailure {
        String csv = options.csv;
        String json = options.json;
        String zeekConn = options.zeekConn;
        String timeline = options.timeline;
        String summaryJson = options.summaryJson;
        String html = options.html;
        Outputs o = new Outputs("-".equals(csv) || "-".equals(json) || "-".equals(zeekConn) || "-".equals(timeline)
            || "-".equals(summaryJson) || "-".equals(html));
        if (timeline != null) o.timelineStepNanos = options.stepNanos(cmd); // checked by the command already
        String opening = null;
        try {
            if (csv != null) {
                opening = csv;
                o.sinks.add(o.sink(cmd, csv, live, rotation, w -> new CsvSink(w, live)));
            }
            if (json != null) {
                opening = json;
                o.sinks.add(o.sink(cmd, json, live, rotation, w -> new JsonSink(w, live)));
            }
            if (zeekConn != null) {
                opening = zeekConn;
                o.sinks.add(o.new Guarded(o.open(cmd, zeekConn, live), w -> new ZeekConnSink(w, live)));
            }
            if (timeline != null) {
                opening = timeline;
                o.timelineRows = o.new GuardedRows(o.open(cmd, timeline, live), w -> new TimelineCsv(w, live));
            }
            if (summaryJson != null) {
                opening = summaryJson;
                o.summaryJson = o.open(cmd, summaryJson, live);
            }
            if (html != null) {
                opening = html;
                o.html = o.open(cmd, html, false); // written once, at the end: through a temporary file, also live
            }
        } catch (IOException | UncheckedIOException e) {
            for (Output out : o.outputs) out.broken = true; // Discarded, not put in place, by close().
            o.close();
            throw new OpenFailure(describe("-".equals(opening) ? STDOUT : opening,
                e instanceof UncheckedIOException u ? u.getCause() : (IOException) e));
        }
        if (!o.files.isEmpty()) {
            o.cleanup = new Thread(o::discardTemporaryFiles, "teardown-temporary-files");
            Runtime.getRuntime().addShutdownHook(o.cleanup);
        }
        return o;
    }

    /** One line for a failed file operation on {@code target}: the name, then the reason without Java's words. */
    static String describe(String target, IOException e) {
        if (e instanceof NoSuchFileException) return target + ": no such file or directory";
        if (e instanceof AccessDeniedException) return target + ": permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return target + ": " + f.getReason();
        return target + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    private Output open(CommandLine cmd, String target, boolean live) throws IOException {
        Output out;
        if ("-".equals(target)) {
            PrintWriter console = cmd.getOut();
            Writer w = new FilterWriter(new BufferedWriter(console, 1 << 16)) {
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
            out = new Output(STDOUT, null, w);
        } else {
            OutputFile file = OutputFile.open(target, !live);
            if (file.temporary() != null) files.add(file);
            out = new Output(target, file, new Utf8Writer(file.stream()));
        }
        outputs.add(out);
        return out;
    }

    /** A record output of {@code format} to {@code target}, rotated when {@code rotation} is given and it is a file. */
    private RecordSink sink(CommandLine cmd, String target, boolean live, Rotation rotation,
                            java.util.function.Function<Writer, RecordSink> format) throws IOException {
        if (rotation == null || "-".equals(target)) return new Guarded(open(cmd, target, live), format);
        Output out = new Output(target, null, new RotatingSink.SpanFiles(target, rotation.seconds()));
        outputs.add(out);
        return new Guarded(out, w -> new RotatingSink((RotatingSink.SpanFiles) w, rotation.clock(), format));
    }

    /** The record sinks, in the order given: CSV, then JSON, then the Zeek conn.log. */
    List<RecordSink> sinks() {
        return sinks;
    }

    /**
     * A fresh TIME_WAIT stage for one run (one capture) with {@code options}, its timeline also written to the
     * {@code --timeline} output when one was asked for (at its step).
     */
    TimeWaitStage newTimeWaitStage(TimeWaitOptions options) {
        return new TimeWaitStage(timelineRows == null ? options : options.withStep(timelineStepNanos), timelineRows);
    }

    /** Whether the summary JSON was asked for. */
    boolean wantsSummaryJson() {
        return summaryJson != null;
    }

    /** Whether anything written needs the TIME_WAIT stage's figures besides the terminal summary. */
    boolean needsTimeWait() {
        return summaryJson != null || timelineRows != null || html != null;
    }

    /** Whether the HTML report was asked for. */
    boolean wantsHtml() {
        return html != null;
    }

    /** The page the HTML report's runs go to, written at {@link #close()}. */
    HtmlPage htmlPage() {
        return htmlPage;
    }

    /** Writes the page of the runs reported so far, once; a failure is recorded. */
    private void writeHtml() {
        if (html == null || html.broken || htmlPage.isEmpty()) return;
        try {
            html.writer.write(htmlPage.take());
        } catch (IOException e) {
            failed(html, e);
        }
    }

    /** Writes one run's summary object as a line of the summary JSON output, if asked for; a failure is recorded. */
    void writeSummaryJson(String object) {
        if (summaryJson == null || summaryJson.broken) return;
        try {
            summaryJson.writer.write(object);
            summaryJson.writer.write('\n');
        } catch (IOException e) {
            failed(summaryJson, e);
        }
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
    synchronized String failure() {
        return failure;
    }

    /** Pushes what is written so far to its file or stdout; a failure is recorded, not thrown. */
    void flush() {
        for (Output out : outputs) {
            if (out.broken) continue;
            try {
                out.writer.flush();
            } catch (IOException e) {
                failed(out, e);
            }
        }
    }

    /**
     * Flushes and closes every output (stdout is flushed, never closed) and puts each file in place: a
     * temporary file is renamed over its target, also after an input error or an interrupt, so that every row
     * written reaches it; but an output that failed keeps its target as it was. A failure is recorded, not thrown.
     */
    @Override
    public void close() {
        // A sink's last lines (the conn.log's #close) before the writers close; once, as sinks is emptied below.
        for (RecordSink sink : sinks) {
            try {
                sink.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // Guarded records its own output's failures: never thrown.
            }
        }
        writeHtml();
        flush();
        for (Output out : outputs) {
            try {
                out.writer.close();
            } catch (IOException e) {
                failed(out, e);
            }
            if (out.file == null) continue;
            if (out.broken) {
                out.file.discard();
                continue;
            }
            try {
                out.file.commit();
            } catch (IOException e) {
                failed(out, e);
            }
        }
        sinks.clear();
        timelineRows = null;
        summaryJson = null;
        html = null;
        outputs.clear();
        if (cleanup != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs, and finds nothing left to delete.
            }
            cleanup = null;
        }
    }

    /**
     * Deletes the temporary files now, leaving every target as it was: the way out on a second Ctrl-C, when
     * there is no time to finish. Safe to call from another thread.
     */
    void discardTemporaryFiles() {
        for (OutputFile f : files) f.deleteTemporary();
    }

    // Synchronized: with the relay the rows are written on one thread and the timeline's rows on another.
    private synchronized void failed(Output out, IOException e) {
        out.broken = true;
        if (failure == null) failure = "writing " + describe(out.label, e);
    }

    /** The timeline's rows, taken until the output's first failed write, which is recorded. */
    private final class GuardedRows implements Consumer<TimelineRow> {
        private final Output out;
        private final Consumer<TimelineRow> rows;

        GuardedRows(Output out, java.util.function.Function<Writer, Consumer<TimelineRow>> rows) {
            this.out = out;
            this.rows = rows.apply(out.writer);
        }

        @Override
        public void accept(TimelineRow r) {
            if (out.broken) return;
            try {
                rows.accept(r);
            } catch (UncheckedIOException e) {
                failed(out, e.getCause());
            }
        }
    }

    /** A sink that stops taking records after its output's first failed write, and records the failure. */
    private final class Guarded implements RecordSink {
        private final Output out;
        private final RecordSink sink;

        Guarded(Output out, java.util.function.Function<Writer, RecordSink> sink) {
            this.out = out;
            this.sink = sink.apply(out.writer);
        }

        @Override
        public void accept(FlowRecord r) {
            if (out.broken) return;
            try {
                sink.accept(r);
            } catch (UncheckedIOException e) {
                failed(out, e.getCause());
            }
        }

        @Override
        public void close() {
            if (out.broken) return;
            try {
                sink.close();
            } catch (UncheckedIOException e) {
                failed(out, e.getCause());
            } catch (IOException e) {
                failed(out, e);
            }
        }
    }
}
