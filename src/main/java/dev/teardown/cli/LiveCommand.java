package dev.teardown.cli;

import dev.teardown.capture.LiveCapture;
import dev.teardown.capture.Snaplen;
import dev.teardown.capture.LiveCaptureException;
import dev.teardown.capture.OpenCapture;
import dev.teardown.capture.PcapRing;
import dev.teardown.metrics.LiveMetrics;
import dev.teardown.metrics.MetricsServer;
import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.pipeline.Clock;
import dev.teardown.pipeline.LiveAnalysis;
import dev.teardown.pipeline.LiveRun;
import dev.teardown.pipeline.ThreadPlan;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.RecordSink;
import dev.teardown.report.Safe;
import dev.teardown.timewait.TimeWaitOptions;
import dev.teardown.timewait.TimeWaitStage;
import dev.teardown.report.Summary;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code teardown live}: captures from an interface and runs the same pipeline as {@code analyze}, writing
 * each connection's row as soon as it is finished.
 */
@Command(name = "live", mixinStandardHelpOptions = true, sortOptions = false,
    defaultValueProvider = OptionRanges.MachineDefaults.class,
    description = {"Captures from an interface (libpcap) and reports each TCP connection's teardown as it finishes.",
        "Stops on Ctrl-C, SIGTERM, --duration or --count; every open connection is then written as it stands."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:captured and reported", "1:capture failed (no libpcap, no permission, no such interface...), an output could not be written, or the "
            + "--metrics address could not be listened on",
        "2:bad usage or a bad capture filter"})
final class LiveCommand implements Callable<Integer> {
    /** Longest {@code --duration}: a year; a bound that keeps the deadline in nanoseconds far from overflow. */
    static final long MAX_DURATION_SECONDS = 365 * 86_400L;
    /** Most {@code --metrics-endpoints}: series per metric stay few enough for Prometheus (its advice: low cardinality). */
    static final int MAX_METRICS_ENDPOINTS = 1000;

    @Option(names = {"-i", "--interface"}, required = true, paramLabel = "IFACE",
        description = "Interface to capture on (see: teardown interfaces); 'any' for all.")
    String device;

    @Option(names = {"-f", "--filter"}, paramLabel = "BPF", description = "Capture filter (pcap-filter syntax).")
    String filter;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds (at most a year).")
    Long durationSeconds;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N packets.")
    Long count;

    @CommandLine.Mixin
    OutputOptions outputOptions;

    @CommandLine.Mixin
    TimeWaitArgs timeWaitArgs;

    /** The TIME_WAIT stage's options, checked with the others before anything is opened. */
    private TimeWaitOptions timeWaitOptions;

    @Option(names = "--write", paramLabel = "FILE.pcap",
        description = "Also write the raw frames to a pcap file, for teardown analyze later.")
    Path write;

    @Option(names = "-C", paramLabel = "MB",
        description = "With --write: a new file once the current one is larger than MB millions of bytes (k, m, g: "
            + "units of 1,024, 1,024^2, 1,024^3 bytes), named FILE, FILE1, FILE2 ... as tcpdump -C does.")
    String fileSize;

    @Option(names = "-G", paramLabel = "SECONDS",
        description = "With --write: a new file every SECONDS of packet time (on multiples of it), FILE holding a "
            + "strftime time (UTC), e.g. traffic-%%Y%%m%%d-%%H%%M%%S.pcap, as tcpdump -G does.")
    Long rotateSeconds;

    @Option(names = "-W", paramLabel = "N",
        description = "With -C: a ring of N files, FILE0 to FILE<N-1>, overwritten in turn; with -G: keep the N newest "
            + "files, deleting older ones.")
    Integer fileCount;

    @Option(names = "--rotate", paramLabel = "SECONDS",
        description = "Write --csv and --json to a new file every SECONDS of packet time, named by the file's strftime "
            + "time (UTC) or with -YYYYMMDDTHHMMSSZ before its extension.")
    Long rotateOutputs;

    @Option(names = "--snaplen", paramLabel = "N", defaultValue = "" + Snaplen.MAXIMUM,
        description = "Bytes kept per packet, 1 to " + Snaplen.MAXIMUM + ". Default: ${DEFAULT-VALUE}.")
    int snaplen;

    @Option(names = "--buffer-size", paramLabel = "BYTES", defaultValue = "" + LiveCapture.Options.DEFAULT_BUFFER_BYTES,
        description = "Kernel capture buffer; 0 keeps libpcap's default (2 MiB). Default: ${DEFAULT-VALUE}.")
    int bufferBytes;

    @Option(names = "--time-wait", paramLabel = "SECONDS", defaultValue = "" + AnalyzeOptions.DEFAULT_TIME_WAIT_SECONDS,
        description = "TIME_WAIT length (see teardown analyze --help); at most " + AnalyzeOptions.MAX_TIME_WAIT_SECONDS
            + ". Default: ${DEFAULT-VALUE}.")
    long timeWaitSeconds;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "" + AnalyzeOptions.DEFAULT_LIVE_IDLE_TIMEOUT_SECONDS,
        description = "Write out an unfinished connection after this long without packets; at most "
            + AnalyzeOptions.MAX_IDLE_TIMEOUT_SECONDS + " (a year). Default: ${DEFAULT-VALUE}.")
    long idleSeconds;

    @Option(names = OptionRanges.MachineDefaults.MAX_CONNECTIONS, paramLabel = "N",
        description = "Connections held at once; beyond, the oldest one waiting out TIME_WAIT (its outcome "
            + "decided), else the least recently active, is written out early, and counted. Default: as many as "
            + "fit in half the Java heap at 2 KiB each, at most 1,000,000; here ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(names = "--metrics", paramLabel = "ADDR:PORT",
        description = "Serve Prometheus metrics at http://ADDR:PORT/metrics while capturing (docs/output.md, "
            + "\"Metrics\"): e.g. 127.0.0.1:9464; :9464 listens on every address.")
    String metrics;

    @Option(names = "--metrics-endpoints", paramLabel = "N", defaultValue = "20",
        description = "Server endpoints with series of their own in the metrics, the busiest; the rest are summed as "
            + "server=\"other\". Default: ${DEFAULT-VALUE}.")
    int metricsEndpoints;

    @Option(names = OptionRanges.MachineDefaults.THREADS, paramLabel = "N",
        description = "Threads analysing connections (besides the capturing one and the one writing rows), 1 to "
            + Analysis.MAX_THREADS + "; every output is the same whatever the number. Default: the cores available, here "
            + "${DEFAULT-VALUE}; on two cores a relay instead: one thread analyses, one writes the rows (no drop where "
            + "two drop none, for less CPU). With --max-connections, the relay above 1 (it keeps one table).")
    int threads;

    @Option(names = "--verify-checksums", description = OptionRanges.VERIFY_CHECKSUMS_HELP)
    boolean verifyChecksums;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The analysis of the run, once made: its packet time rotates --csv and --json (--rotate). */
    private LiveAnalysis pipeline;

    /** The threads analysing: --threads, the relay with --max-connections, else this machine's default plan. */
    private ThreadPlan threadPlan = ThreadPlan.of(1);

    /** How --write rotates its files. */
    private PcapRing.Policy ring = PcapRing.Policy.NONE;

    /** The metrics {@code --metrics} serves, or null. */
    private LiveMetrics liveMetrics;

    /** The capture loop once the interface is open; null before. */
    private volatile LiveRun run;

    /** Opens the interface: libpcap's, or a scripted one in tests. */
    @FunctionalInterface
    interface Opener {
        OpenCapture open(LiveCapture.Options options) throws LiveCaptureException;
    }

    /** How the interface is opened; a seam for tests of the whole command, as {@link AnalyzeCommand}'s opener. */
    Opener opener = LiveCapture::open;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        PrintWriter err = cmd.getErr();
        AnalyzeOptions options = OptionRanges.analyzeOptions(cmd, timeWaitSeconds, idleSeconds, maxConnections)
            .withVerifyChecksums(verifyChecksums);
        long durationNanos = durationSeconds == null ? Long.MAX_VALUE
            : OptionRanges.seconds(cmd, "--duration", durationSeconds, MAX_DURATION_SECONDS);
        if (count != null) OptionRanges.between(cmd, "--count", count, 1, Long.MAX_VALUE, "");
        OptionRanges.between(cmd, "--snaplen", snaplen, 1, Snaplen.MAXIMUM, " bytes");
        OptionRanges.between(cmd, "--buffer-size", bufferBytes, 0, Integer.MAX_VALUE, " bytes");
        OptionRanges.between(cmd, OptionRanges.MachineDefaults.THREADS, threads, 1, Analysis.MAX_THREADS, "");
        outputOptions.stepNanos(cmd); // --step checked (exit 2) before anything is opened
        timeWaitOptions = timeWaitArgs.options(cmd, options);
        OptionRanges.between(cmd, "--metrics-endpoints", metricsEndpoints, 0, MAX_METRICS_ENDPOINTS, "");
        InetSocketAddress metricsAddress = metrics == null ? null : ListenAddress.parse(cmd, "--metrics", metrics);
        if (metrics == null && cmd.getParseResult() != null
            && cmd.getParseResult().hasMatchedOption("--metrics-endpoints")) {
            throw new CommandLine.ParameterException(cmd, "--metrics-endpoints needs --metrics");
        }
        ring = RingOptions.policy(cmd, write, fileSize, rotateSeconds, fileCount);
        threadPlan = OptionRanges.threadPlan(cmd, err, threads);
        if (rotateOutputs != null) {
            OptionRanges.between(cmd, "--rotate", rotateOutputs, 1, RingOptions.MAX_SECONDS, " seconds");
            if ((outputOptions.csv == null || "-".equals(outputOptions.csv))
                && (outputOptions.json == null || "-".equals(outputOptions.json))) {
                throw new CommandLine.ParameterException(cmd, "--rotate needs --csv or --json to a file");
            }
            for (String f : new String[] {outputOptions.csv, outputOptions.json}) {
                try {
                    if (f != null && !"-".equals(f)) RotatingSink.name(f, 0);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(cmd, "--rotate: " + Safe.text(f) + ": " + e.getMessage());
                }
            }
        }
        // Rows are written in place, not through a temporary file (tail -f): an output that is another one
        // would interleave two formats in one file, and --write over --csv would mix frames and rows.
        List<OutputUsage.Named> outputs = new ArrayList<>(outputOptions.named());
        if (write != null) outputs.add(new OutputUsage.Named("--write", write.toString()));
        OutputUsage.check(cmd, outputs, List.of());
        // Bound before the capture opens, so that an address in use fails first and leaves nothing behind.
        MetricsServer server = null;
        if (metricsAddress != null) {
            liveMetrics = new LiveMetrics();
            try {
                server = MetricsServer.start(metricsAddress, liveMetrics);
            } catch (IOException e) {
                return fail(err, "--metrics " + metrics + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()));
            }
            String host = metrics.substring(0, metrics.lastIndexOf(':'));
            err.println("teardown: metrics at http://" + Safe.text(host.isEmpty() ? "localhost" : host) + ":"
                + server.port() + "/metrics");
            err.flush();
        }
        try {
            return openAndCapture(cmd, err, options, durationNanos);
        } finally {
            if (server != null) server.close();
        }
    }

    private int openAndCapture(CommandLine cmd, PrintWriter err, AnalyzeOptions options, long durationNanos) {
        OpenCapture capture;
        try {
            capture = opener.open(LiveCapture.Options.defaults(device).withFilter(filter).withSnaplen(snaplen)
                .withBufferBytes(bufferBytes));
        } catch (LiveCaptureException e) {
            fail(err, e.getMessage());
            return e.kind() == LiveCaptureException.Kind.BAD_FILTER ? TeardownCommand.EXIT_USAGE : TeardownCommand.EXIT_INPUT;
        }
        LiveRun live = new LiveRun(capture, Clock.system(),
            new LiveRun.Limits(count == null ? Long.MAX_VALUE : count, durationNanos));
        run = live;
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // SIGINT / SIGTERM: stop capturing, then wait until every row and the summary are written.
            stop();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "teardown-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        // Ctrl-C and SIGTERM end the capture like --duration does, so the command exits 0 after writing
        // everything (the shutdown hook alone would leave the JVM's exit status 130/143). A second one exits now.
        Signals signals = Signals.onInterruptAndTerminate(this::stop, () -> {
            err.println("teardown: second interrupt: exiting without writing the rest");
            err.flush();
        });
        try {
            return capture(capture, live, options, err);
        } catch (Outputs.OpenFailure e) {
            return fail(err, e.getMessage());
        } finally {
            signals.close();
            capture.close();
            done.countDown();
            if (!live.stopRequested()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The JVM is already stopping; the hook has been released by the latch.
                }
            }
        }
    }

    /**
     * Ends the capture as Ctrl-C does: every row and the summary are still written, and the command exits 0.
     * Before the interface is open it does nothing.
     */
    void stop() {
        LiveRun r = run;
        if (r != null) r.stop();
    }

    private int capture(OpenCapture capture, LiveRun live, AnalyzeOptions options, PrintWriter err)
            throws Outputs.OpenFailure {
        Outputs outputs = Outputs.open(spec.commandLine(), outputOptions, true, rotateOutputs == null ? null
            : new Outputs.Rotation(rotateOutputs, () -> pipeline.nowNanos()));
        try {
            PcapTee tee;
            try {
                tee = write == null ? null : new PcapTee(write.toString(), new PcapRing(write.toString(),
                    capture.linkType(), capture.snaplen(), capture.nanosecondTimestamps(), ring));
            } catch (IOException e) {
                return fail(err, Outputs.describe(write.toString(), e));
            }
            return capture(capture, live, options, outputs, tee, err);
        } finally {
            outputs.close();
        }
    }

    private int capture(OpenCapture capture, LiveRun live, AnalyzeOptions options, Outputs outputs, PcapTee tee,
                        PrintWriter err) {
        PrintWriter summaryOut = outputs.summaryOut(spec.commandLine());
        Summary summary = new Summary();
        List<RecordSink> sinks = new ArrayList<>(outputs.sinks());
        // With several threads the rows reach the summary on the merger's thread while the metrics read it on this
        // one (LiveSampler): both under its lock, held for one record or one reading.
        sinks.add(r -> {
            synchronized (summary) {
                summary.accept(r);
            }
        });
        TimeWaitStage timeWait = outputs.newTimeWaitStage(timeWaitOptions);
        LiveAnalysis pipeline = LiveAnalysis.of(options, sinks, timeWait, threadPlan);
        this.pipeline = pipeline;
        // A redrawn block would overwrite rows going to the same terminal through stdout: plain lines then.
        LiveStatus status = new LiveStatus(err, LiveStatus.stderrIsTerminal() && !outputs.stdoutTaken(),
            options.timeWaitNanos());
        // An output that cannot be written (a full disk, a reader gone) ends the capture.
        LiveSampler sampler = new LiveSampler(status, liveMetrics, summary, metricsEndpoints, options.timeWaitNanos());
        LiveRun.Outcome outcome = null;
        String outOfMemory = null;
        try {
            outcome = live.run(pipeline, tee == null ? LiveRun.Tee.NONE : tee, sampler,
                () -> outputs.failure() != null || (tee != null && tee.failure() != null));
        } catch (OutOfMemoryError e) {
            // As analyze: what the heap held goes (room for the summary), the rows written stay, one line says so.
            outOfMemory = AnalyzeCommand.outOfMemory(pipeline.packets(), "on " + capture.device(),
                pipeline.discardHeld(), options.maxConnections());
        }
        if (tee != null) tee.close();
        outputs.flush();
        Answer.write(summary.figures(), timeWait.figures(), totals(pipeline, capture.stats(), capture.device()),
            "teardown live: " + capture.device(), timeWaitSeconds, summaryOut, outputs);
        outputs.flush();
        String failure = outOfMemory != null ? outOfMemory
            : outcome.failure() != null ? outcome.failure().getMessage() + " (everything captured until then is written)"
            : outputs.failure() != null ? outputs.failure() : tee != null ? tee.failure() : null;
        return failure == null ? TeardownCommand.EXIT_OK : fail(err, failure);
    }

    private static int fail(PrintWriter err, String message) {
        err.println("teardown: " + Safe.text(message));
        err.flush();
        return TeardownCommand.EXIT_INPUT;
    }

    /**
     * The capture's totals with libpcap's own counts as a note (information, not a problem), and a warning only when
     * libpcap or the interface dropped packets.
     */
    static CaptureTotals totals(LiveAnalysis pipeline, LiveCapture.Stats stats, String device) {
        List<String> warnings = new ArrayList<>();
        if (stats.dropped() > 0 || stats.interfaceDropped() > 0) {
            warnings.add(String.format(Locale.ROOT, "libpcap dropped %,d packets and the interface %,d: connections "
                + "they belonged to may be misread (a larger --buffer-size helps when the analysis keeps up)",
                stats.dropped(), stats.interfaceDropped()));
        }
        return pipeline.totals(warnings).withNote(new CaptureTotals.Note("libpcap", String.format(Locale.ROOT,
            "%,d received, %,d dropped, %,d dropped by the interface%s", stats.received(), stats.dropped(),
            stats.interfaceDropped(), loopbackNote(loopbackDevice(device), device, pipeline.loopbackFrames()))));
    }

    /**
     * On a loopback device the kernel hands every packet to the capture twice, leaving and arriving, and libpcap
     * keeps one copy, so its received count is about twice the packets read: say so, lest it look like loss. On
     * {@code -i any} only when loopback packets were seen ({@code loopbackFrames}, from the cooked headers); on any
     * other device, never.
     */
    static String loopbackNote(boolean loopbackDevice, String device, long loopbackFrames) {
        boolean note = loopbackDevice || ("any".equals(device) && loopbackFrames > 0);
        return note ? " (loopback traffic: the kernel counts each packet twice, leaving and arriving; one copy is kept)"
            : "";
    }

    private static boolean loopbackDevice(String device) {
        try {
            return LiveCapture.devices().stream().anyMatch(d -> d.name().equals(device) && d.loopback());
        } catch (LiveCaptureException e) {
            return false;
        }
    }
}
