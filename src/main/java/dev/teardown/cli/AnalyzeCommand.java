package dev.teardown.cli;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.CaptureFormatException;
import dev.teardown.capture.PacketSource;
import dev.teardown.capture.Pcap4jFileSource;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.ReadProgress;
import dev.teardown.pipeline.ThreadPlan;
import dev.teardown.report.RecordSink;
import dev.teardown.report.Safe;
import dev.teardown.timewait.TimeWaitOptions;
import dev.teardown.timewait.TimeWaitStage;
import dev.teardown.report.Summary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code teardown analyze}: reads capture files and reports every TCP connection's teardown. */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
    defaultValueProvider = OptionRanges.MachineDefaults.class,
    description = {"Reads pcap or pcapng files (gzip-compressed too) and tells, for every TCP connection, who "
        + "closed it, how, and which side holds TIME_WAIT until when.",
        "Several files are read as one continuous capture (tcpdump -C / -G ring files) unless --separate."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:analysed", "1:a capture could not be read, an output could not be written, or memory ran out "
        + "(results up to the problem are still written)",
        "2:bad usage (also: an output that is an input, or two outputs that are one file)",
        "130:interrupted (Ctrl-C, SIGTERM); results up to there are still written"})
final class AnalyzeCommand implements Callable<Integer> {
    /** Exit status after Ctrl-C or SIGTERM: 128 + SIGINT, the shell's convention. */
    static final int EXIT_INTERRUPTED = Signals.SECOND_SIGNAL_EXIT;

    /** Opens the captures of one run; a seam for tests. */
    interface SourceOpener {
        PacketSource open(List<Path> files) throws IOException;
    }

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Capture files (pcap, pcapng, optionally gzip).")
    List<Path> files;

    @CommandLine.Mixin
    OutputOptions outputOptions;

    @CommandLine.Mixin
    TimeWaitArgs timeWaitArgs;

    @Option(names = "--time-wait", paramLabel = "SECONDS", defaultValue = "" + AnalyzeOptions.DEFAULT_TIME_WAIT_SECONDS,
        description = "TIME_WAIT length: Linux 60 (fixed), FreeBSD 2*MSL = 60, Windows 120 (TcpTimedWaitDelay), "
            + "RFC 793 240; at most " + AnalyzeOptions.MAX_TIME_WAIT_SECONDS + ". Default: ${DEFAULT-VALUE}.")
    long timeWaitSeconds;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "" + AnalyzeOptions.DEFAULT_IDLE_TIMEOUT_SECONDS,
        description = "Write out an unfinished connection after this long without packets; at most "
            + AnalyzeOptions.MAX_IDLE_TIMEOUT_SECONDS + " (a year). Default: ${DEFAULT-VALUE}.")
    long idleSeconds;

    @Option(names = OptionRanges.MachineDefaults.MAX_CONNECTIONS, paramLabel = "N",
        description = "Connections held at once; beyond, the oldest one waiting out TIME_WAIT (its outcome "
            + "decided), else the least recently active, is written out early, and counted. Default: as many as "
            + "fit in half the Java heap at 2 KiB each, at most 1,000,000; here ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(names = OptionRanges.MachineDefaults.THREADS, paramLabel = "N",
        description = "Threads analysing connections (besides the one reading and the one writing rows), 1 to "
            + Analysis.MAX_THREADS + "; every output is the same whatever the number. Default: the cores available, here "
            + "${DEFAULT-VALUE}. On two cores the default is a relay instead: one thread reads, one analyses, one writes "
            + "the rows (faster than two, for less CPU). With --max-connections, the relay above 1 (it keeps one table).")
    int threads;

    @Option(names = "--verify-checksums", description = OptionRanges.VERIFY_CHECKSUMS_HELP)
    boolean verifyChecksums;

    @Option(names = "--reader", paramLabel = "READER", defaultValue = "builtin",
        description = "Which code reads the files: builtin (teardown's own readers: pcap, pcapng, gzip; the fastest) "
            + "or pcap4j (libpcap's pcap_open_offline through pcap4j: whatever the installed libpcap reads, no gzip). "
            + "Every row is the same either way. Default: ${DEFAULT-VALUE}.")
    String reader;

    @Option(names = "--separate", description = "Analyse each file on its own instead of as one capture.")
    boolean separate;

    @Option(names = {"-q", "--quiet"}, description = "No terminal summary (and no progress).")
    boolean quiet;

    @Option(names = "--progress", negatable = true,
        description = "Show reading progress on standard error, redrawn in place (bytes of the total, packets/s, "
            + "connections, time left). Default: only when standard error is a terminal; never with -q.")
    Boolean progress;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Set by the first Ctrl-C or SIGTERM: reading stops, and everything read so far is written. */
    final AtomicBoolean interrupted = new AtomicBoolean();

    SourceOpener opener = CaptureFiles::open;

    /** How often progress is redrawn, by which clock; a seam for tests. */
    record Pacing(LongSupplier clock, int packetsPerLook, long redrawNanos, int width) {}

    Pacing pacing = new Pacing(System::nanoTime, Progress.PACKETS_PER_LOOK, Progress.REDRAW_NANOS,
        Progress.width(System.getenv("COLUMNS")));

    /** Whether standard error is a terminal; a seam for tests. */
    BooleanSupplier stderrIsTerminal = Progress::stderrIsTerminal;

    /** The progress line being shown, cleared by a second interrupt before its message; null when none. */
    private volatile Progress shownProgress;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        PrintWriter err = cmd.getErr();
        AnalyzeOptions options = OptionRanges.analyzeOptions(cmd, timeWaitSeconds, idleSeconds, maxConnections)
            .withVerifyChecksums(verifyChecksums);
        OptionRanges.between(cmd, OptionRanges.MachineDefaults.THREADS, threads, 1, Analysis.MAX_THREADS, "");
        outputOptions.stepNanos(cmd); // --step checked (exit 2) before anything is opened
        TimeWaitOptions timeWait = timeWaitArgs.options(cmd, options);
        switch (reader) {
            case "builtin" -> { }
            case "pcap4j" -> opener = Pcap4jFileSource::open;
            default -> throw new CommandLine.ParameterException(cmd,
                "--reader must be builtin or pcap4j, not " + Safe.text(reader));
        }
        OutputUsage.check(cmd, outputOptions.named(), files);
        if (!separate) {
            // One capture: a file missing from the middle would silently join two halves.
            for (Path f : files) {
                String problem = notReadable(f);
                if (problem != null) return fail(err, problem);
            }
        }
        int exit = TeardownCommand.EXIT_OK;
        Outputs[] opened = new Outputs[1];
        try (Signals signals = Signals.onInterruptAndTerminate(() -> interrupted.set(true), () -> {
            if (opened[0] != null) opened[0].discardTemporaryFiles();
            Progress p = shownProgress;
            if (p != null) p.clear();
            err.println("teardown: second interrupt: exiting without writing the rest");
            err.flush();
        })) {
            opened[0] = Outputs.open(cmd, outputOptions, false);
            Outputs outputs = opened[0];
            PrintWriter summaryOut = outputs.summaryOut(cmd);
            List<List<Path>> runs = new ArrayList<>();
            if (separate) for (Path f : files) runs.add(List.of(f));
            else runs.add(files);
            boolean first = true;
            boolean showProgress = Progress.enabled(progress, quiet, stderrIsTerminal.getAsBoolean());
            // The stage costs time per connection: skipped when nothing shows what it finds.
            boolean stageRuns = !quiet || outputs.needsTimeWait();
            ThreadPlan plan = OptionRanges.threadPlan(cmd, err, threads);
            int firstIndex = 0;
            for (List<Path> run : runs) {
                if (interrupted.get()) break;
                if (!first && !quiet) summaryOut.println();
                first = false;
                ReadProgress shown = showProgress ? newProgress(err, run, firstIndex) : ReadProgress.NONE;
                firstIndex += run.size();
                exit = Math.max(exit, analyse(run, options, stageRuns ? timeWait : null, outputs, summaryOut, err, shown,
                    plan));
            }
            outputs.close();
            if (outputs.failure() != null) return fail(err, outputs.failure());
            if (!quiet && summaryFailed(summaryOut, cmd)) {
                return fail(err, "writing the summary to " + (outputs.stdoutTaken() ? "standard error" : "standard output")
                    + " failed (a full disk, or the reading end of the pipe went away?)");
            }
        } catch (Outputs.OpenFailure e) {
            return fail(err, e.getMessage());
        } finally {
            if (opened[0] != null) opened[0].close();
        }
        return exit;
    }

    /**
     * Analyses one run (one capture of one or more files) into the outputs; returns its exit status. Problems
     * with this run's files are reported in one line and do not stop the next run. {@code timeWait} null: no
     * output shows the TIME_WAIT stage's figures, so it does not run; {@code plan}: the threads.
     */
    private int analyse(List<Path> run, AnalyzeOptions options, TimeWaitOptions timeWait, Outputs outputs,
                        PrintWriter summaryOut, PrintWriter err, ReadProgress progressShown, ThreadPlan plan) {
        if (run.size() == 1) {
            String problem = notReadable(run.get(0));
            if (problem != null) return fail(err, problem);
        }
        Summary summary = new Summary();
        List<RecordSink> sinks = new ArrayList<>(outputs.sinks());
        sinks.add(summary);
        Analysis.Result result;
        String name = String.join(" + ", run.stream().map(Path::toString).toList());
        TimeWaitStage stage = timeWait == null ? TimeWaitStage.none() : outputs.newTimeWaitStage(timeWait);
        try (PacketSource source = opener.open(run)) {
            result = Analysis.run(source, options, sinks, stage, interrupted::get, progressShown, plan);
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            return fail(err, cause instanceof CaptureFormatException ? cause.getMessage() : Outputs.describe(name, cause));
        } finally {
            // Before the summary, an error line or the interrupt message: they start on a clean line.
            if (progressShown instanceof Progress p) p.clear();
            shownProgress = null;
        }
        Answer.write(summary.figures(), stage.figures(), result.totals(), "teardown: " + name, timeWaitSeconds,
            quiet ? null : summaryOut, outputs);
        outputs.flush();
        if (result.outOfMemory() != null) {
            Analysis.OutOfMemory oom = result.outOfMemory();
            return fail(err, outOfMemory(oom.packets(), "of " + name, oom.connectionsDropped(),
                options.maxConnections()));
        }
        if (result.failure() != null) {
            IOException f = result.failure();
            String what = f instanceof CaptureFormatException ? f.getMessage() : Outputs.describe(name, f);
            return fail(err, what + " (results up to there were written)");
        }
        if (result.stopped()) {
            err.println(Safe.text(String.format(Locale.ROOT, "teardown: interrupted after %,d packets of %s "
                + "(results up to there were written)", result.totals().packets(), name)));
            err.flush();
            return EXIT_INTERRUPTED;
        }
        return TeardownCommand.EXIT_OK;
    }

    /** A progress line for reading {@code run}, whose first file is number {@code firstIndex} of all given. */
    private Progress newProgress(PrintWriter err, List<Path> run, int firstIndex) {
        long total = 0;
        for (Path f : run) {
            try {
                total += Files.size(f);
            } catch (IOException e) {
                total = -1; // Shown without a percentage or time left.
                break;
            }
        }
        Progress p = new Progress(err, pacing.clock(), pacing.packetsPerLook(), pacing.redrawNanos(),
            run.stream().map(Path::toString).toList(), firstIndex, files.size(), total,
            pacing.width());
        shownProgress = p;
        return p;
    }

    /** Why {@code f} cannot be read as a capture, or null. */
    private static String notReadable(Path f) {
        if (Files.isRegularFile(f)) return null;
        return f + ": " + (Files.exists(f) ? "not a regular file" : "no such file");
    }

    /**
     * Whether the summary could not be written: PrintWriter and System.out's PrintStream keep their errors
     * to themselves (a full disk, {@code > /dev/full}), so ask both.
     */
    private static boolean summaryFailed(PrintWriter summaryOut, CommandLine cmd) {
        return summaryOut.checkError() || (summaryOut == cmd.getOut() && System.out.checkError());
    }

    private static int fail(PrintWriter err, String message) {
        err.println("teardown: " + Safe.text(message));
        err.flush();
        return TeardownCommand.EXIT_INPUT;
    }

    /**
     * The one line that says the heap ran out after {@code packets} packets {@code where} ("of FILE", "on DEVICE"),
     * {@code dropped} connections then held unwritten (analyze and live alike).
     */
    static String outOfMemory(long packets, String where, long dropped, int maxConnections) {
        return String.format(Locale.ROOT, "out of memory after %,d packets %s; the %,d connections then held were not "
            + "written, rows written before are kept; raise -Xmx via TEARDOWN_JAVA_OPTS or lower --max-connections "
            + "(now %d)", packets, where, dropped, maxConnections);
    }
}
